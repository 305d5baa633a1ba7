namespace Planner.Web.Api.Contracts;

/// <summary>A document added to the library: its id, name, kind (text, markdown, pdf, csv) and passages indexed.</summary>
public sealed record DocumentAdded(int Id, string FileName, string Kind, int Passages);
