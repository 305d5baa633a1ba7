using PdfSharp.Fonts;

namespace Planner.Sharing;

/// <summary>PDFsharp's font source: one sans-serif family found among the machine's TrueType fonts (DejaVu Sans,
/// Liberation Sans, FreeSans, Arial), embedded as a subset. PDFsharp has no fonts of its own off Windows.</summary>
internal sealed class ShareFonts : IFontResolver
{
    public const string Family = "PlannerShare";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
        ("Arial.ttf", "Arial Bold.ttf"),
    ];

    private static readonly Lazy<(string Regular, string Bold)?> Found = new(Find);
    private static readonly Lock Gate = new();

    /// <summary>Makes this the process's font resolver, once; throws a <see cref="FileNotFoundException"/> that says
    /// what to install when the machine has none of the fonts.</summary>
    public static void Install()
    {
        if (Found.Value is null)
            throw new FileNotFoundException("No TrueType font for the PDF was found: install DejaVu Sans or Liberation Sans " +
                "(Debian and Ubuntu: fonts-dejavu-core) and try again.");
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ShareFonts) GlobalFontSettings.FontResolver = new ShareFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "bold" : "regular");

    public byte[]? GetFont(string faceName) =>
        Found.Value is { } files ? File.ReadAllBytes(faceName == "bold" ? files.Bold : files.Regular) : null;

    private static (string, string)? Find()
    {
        var folders = new List<string> { "/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts" };
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0) folders.AddRange([Path.Combine(home, ".local/share/fonts"), Path.Combine(home, ".fonts")]);
        var windows = Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
        if (windows.Length > 0) folders.Add(windows);

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 5 };
        foreach (var folder in folders.Where(Directory.Exists))
            foreach (var path in Directory.EnumerateFiles(folder, "*.ttf", options))
                files.TryAdd(Path.GetFileName(path), path);
        foreach (var (regular, bold) in Candidates)
            if (files.TryGetValue(regular, out var r)) return (r, files.GetValueOrDefault(bold, r));
        return null;
    }
}
