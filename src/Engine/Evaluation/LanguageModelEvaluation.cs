namespace Planner.Engine.Evaluation;

/// <summary>Mean next-token cross-entropy over held-out text, its perplexity (exp of the loss), and how many tokens
/// it was measured on.</summary>
public sealed record LanguageModelEvaluation(double Loss, double Perplexity, long Tokens);
