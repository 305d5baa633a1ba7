namespace Planner.Documents;

public enum DocumentKind
{
    Text,
    Markdown,
    Pdf,
    Csv,
}
