namespace Planner.Interchange;

/// <summary>Undoes the spreadsheet formula-injection escape that CSV export applies (CsvHelper's
/// <c>CsvInjection.Escape</c>: a leading apostrophe before = + - @ tab or CR), so that export -> import is lossless.</summary>
public static class SpreadsheetSafe
{
    private static readonly char[] Triggers = ['=', '+', '-', '@', '\t', '\r'];

    public static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && Triggers.Contains(value[1]) ? value[1..] : value;
}
