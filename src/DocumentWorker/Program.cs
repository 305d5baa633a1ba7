using System.Text.Json;
using Planner.Documents;

// The document worker: a PDF on standard input, its text by page (an ExtractionResult) as JSON on standard output.
// Started by PdfWorker with a capped heap and a time limit; whatever breaks in here ends only this process.
using var input = new MemoryStream();
Console.OpenStandardInput().CopyTo(input);
ExtractionResult result;
try
{
    result = PdfText.Read(input.ToArray());
}
catch (OutOfMemoryException)
{
    result = ExtractionResult.Failed(DocumentKind.Pdf, PdfWorker.MemoryProblem);
}
using var output = Console.OpenStandardOutput();
JsonSerializer.Serialize(output, result);
