namespace Planner.Sharing;

public enum ShareFormat
{
    Pdf,
    Html,
}
