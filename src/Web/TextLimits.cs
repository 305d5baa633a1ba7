namespace Planner.Web;

/// <summary>How much text a box takes, stated on the page and enforced by the browser (<c>maxlength</c>) so a paste
/// never exceeds what the Blazor connection carries: every keystroke in a bound box travels as one message, and a
/// message over the hub's limit used to drop the connection (at SignalR's default of 32 KB, a 32 KB paste did).</summary>
public static class TextLimits
{
    /// <summary>Briefs, questions, visions, key results: about eight pages of text.</summary>
    public const int LongText = 20_000;

    /// <summary>Ids, titles, names, lists of ids, search terms.</summary>
    public const int ShortText = 500;

    /// <summary>The largest message the hub accepts: a full box of the longest text, escaped character by character
    /// (6 bytes each) in its JSON, fits several times over.</summary>
    public const long HubMessageBytes = 1024 * 1024;

    /// <summary>Documents chosen in one upload; more are refused with a message instead of an error.</summary>
    public const int FilesPerUpload = 20;

    public static string LongHint => $"At most {LongText:N0} characters.";
}
