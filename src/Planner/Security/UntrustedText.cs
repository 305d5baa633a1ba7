namespace Planner.Security;

/// <summary>Text from outside (a request header, a file name in a backup, a name typed for the model hub) as it may be
/// shown in a message or a log: printable ASCII only (anything else, control characters and bidi overrides included,
/// becomes '?') and cut at a given length with an ellipsis.</summary>
public static class UntrustedText
{
    public static string Shown(string? value, int max = 120)
    {
        value ??= "";
        var visible = new string([.. value.Take(max).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return value.Length > max ? visible + "…" : visible;
    }
}
