using PdfSharp.Drawing;

namespace Planner.Sharing;

/// <summary>Text flowing down one column of the PDF page: wraps at word boundaries, cuts what does not fit in its
/// lines with an ellipsis, and stops writing at the column's bottom (so the share stays one page).</summary>
internal sealed class PdfColumn(XGraphics gfx, double x, double width, double y, double bottom)
{
    private static readonly XColor Ink = XColor.FromArgb(0x1f, 0x29, 0x33);
    private static readonly XColor Track = XColor.FromArgb(0xe4, 0xe7, 0xeb);
    private static readonly XColor Fill = XColor.FromArgb(0x2f, 0x6f, 0x4f);

    public double X => x;
    public double Width => width;
    public double Y { get; private set; } = y;
    public double Bottom => bottom;

    public void MoveTo(double top) => Y = top;

    public void Space(double points) => Y += points;

    public void Heading(string text)
    {
        Space(4);
        Line(text, 11, bold: true);
    }

    /// <summary>Writes <paramref name="text"/> in at most <paramref name="maxLines"/> lines.</summary>
    public void Line(string text, double size, bool bold = false, XColor? color = null, int maxLines = 6, double indent = 0)
    {
        var font = new XFont(ShareFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
        var brush = new XSolidBrush(color ?? Ink);
        var lines = Wrap(text.ReplaceLineEndings(" "), font, width - indent);
        for (var n = 0; n < lines.Count && n < maxLines; n++)
        {
            if (Y + size * 1.25 > bottom) return;
            var line = n == maxLines - 1 && lines.Count > maxLines ? Fit(gfx, lines[n] + " " + lines[n + 1], font, width - indent) : lines[n];
            gfx.DrawString(line, font, brush, x + indent, Y + size);
            Y += size * 1.25;
        }
    }

    /// <summary>A progress bar (0 to 1) with a label after it.</summary>
    public void Bar(double share, string label)
    {
        const double barWidth = 50, barHeight = 6, size = 8;
        if (Y + size * 1.3 > bottom) return;
        gfx.DrawRectangle(new XSolidBrush(Track), x, Y + 2, barWidth, barHeight);
        gfx.DrawRectangle(new XSolidBrush(Fill), x, Y + 2, barWidth * Math.Clamp(share, 0, 1), barHeight);
        var font = new XFont(ShareFonts.Family, size);
        gfx.DrawString(Fit(gfx, label, font, width - barWidth - 6), font, new XSolidBrush(Ink), x + barWidth + 6, Y + size);
        Y += size * 1.3;
    }

    /// <summary>The text, cut with an ellipsis where it would be wider than <paramref name="room"/>.</summary>
    public static string Fit(XGraphics gfx, string text, XFont font, double room)
    {
        if (gfx.MeasureString(text, font).Width <= room) return text;
        var length = text.Length;
        while (length > 1 && gfx.MeasureString(text[..length] + "…", font).Width > room) length--;
        return text[..length].TrimEnd() + "…";
    }

    private List<string> Wrap(string text, XFont font, double room)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > room)
            {
                lines.Add(current);
                current = word;
            }
            else current = candidate;
        }
        if (current.Length > 0) lines.Add(Fit(gfx, current, font, room));
        return lines.Count == 0 ? [""] : lines;
    }
}
