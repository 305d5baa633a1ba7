using Planner.Hosting.Evidence;
using Planner.Insights;
using Planner.Insights.Labelling;
using Planner.Web.Components.Pages.Labelling;

namespace Planner.Web.Tests.Labelling;

public class LabellingRoundTests
{
    private static LabellingItem Item(string id, string label = "") => new(new Review(id, $"text {id}", "", "", null, null), ReviewKey.Of($"text {id}"), label);

    [Fact]
    public void With_suggestions_the_smallest_margin_comes_first_and_the_review_on_screen_stays()
    {
        LabellingItem[] items = [Item("a"), Item("b"), Item("c"), Item("d", "bug"), Item("e"), Item("f")];
        var round = new LabellingRound(items);
        Assert.Equal("a", round.Current!.Review.Id);
        Assert.Equal((1, 5, false), (round.Labelled, round.ToGo, round.ByUncertainty));

        round.Suggest(new Dictionary<string, ItemSuggestion>
        {
            [items[1].Key] = new("bug", 0.9, 0.8, "baseline"),
            [items[2].Key] = new("bug", 0.5, 0.05, "baseline"),
            [items[4].Key] = new("praise", null, null, "server"),
            [items[5].Key] = new("bug", 0.6, 0.2, "baseline"),
        });

        Assert.True(round.ByUncertainty);
        var order = new List<string>();
        while (round.Current is { } current)
        {
            order.Add(current.Review.Id);
            round.Record(current, new ReviewLabel { ReviewsFile = "f", Column = "c", ReviewKey = current.Key, Label = "bug", Version = 1 });
        }
        Assert.Equal(["a", "c", "f", "b", "e"], order);
        Assert.Equal((6, 0), (round.Labelled, round.ToGo));
    }

    [Fact]
    public void The_chat_models_labels_kept_from_an_earlier_visit_ask_the_least_certain_first_from_the_start()
    {
        static LabellingItem ByModel(string id, double? confidence)
        {
            var item = Item(id);
            item.Stored = new ReviewLabel { ReviewsFile = "f", Column = "c", ReviewKey = item.Key, Label = "bug", SetBy = LabelSource.Model, Confidence = confidence, Model = "tiny.gguf", Version = 1 };
            item.Suggestion = ReviewLabelling.Kept(item.Stored);
            return item;
        }
        LabellingItem[] items = [Item("a"), ByModel("b", 0.95), ByModel("c", 0.55), ByModel("d", null), ByModel("e", 0.4), Item("f", "bug")];
        Assert.Equal([0.9, 0.1, null, 0.0], items[1..5].Select(i => i.Suggestion!.Margin is { } m ? Math.Round(m, 6) : (double?)null));

        var round = new LabellingRound(items);

        Assert.True(round.ByUncertainty);
        Assert.Equal(["e", "c", "b", "a", "d"], round.Open.Select(i => i.Review.Id));
        Assert.Equal("chat model tiny.gguf", round.Current!.Suggestion!.Source);
        Assert.False(new LabellingRound([Item("a"), ByModel("d", null)]).ByUncertainty); // no probabilities: file order
        Assert.Equal(["a", "d"], new LabellingRound([Item("a"), ByModel("d", null)]).Open.Select(i => i.Review.Id));
    }

    [Fact]
    public void A_kept_label_with_its_margin_stored_is_ordered_by_that_margin_not_the_bound_from_its_probability()
    {
        // Three labels: 0.5 for 'bug' with the runner-up at 0.45 is a close call (margin 0.05), which the bound from the
        // probability alone (2·0.5 − 1 = 0) cannot tell from 0.5 against 0.1 (margin 0.4).
        static LabellingItem ByModel(string id, double confidence, double? margin)
        {
            var item = Item(id);
            item.Stored = new ReviewLabel { ReviewsFile = "f", Column = "c", ReviewKey = item.Key, Label = "bug", SetBy = LabelSource.Model, Confidence = confidence, Margin = margin, Model = "tiny.gguf", Version = 1 };
            item.Suggestion = ReviewLabelling.Kept(item.Stored);
            return item;
        }
        LabellingItem[] items = [ByModel("wide", 0.5, 0.4), ByModel("close", 0.5, 0.05), ByModel("older", 0.6, null)];
        Assert.Equal([0.4, 0.05, 0.2], items.Select(i => Math.Round(i.Suggestion!.Margin!.Value, 6)));
        Assert.Equal(["close", "older", "wide"], new LabellingRound(items).Open.Select(i => i.Review.Id));
    }

    [Fact]
    public void A_review_labelled_while_suggestions_were_computed_and_then_undone_comes_back_with_its_suggestion()
    {
        LabellingItem[] items = [Item("a"), Item("b"), Item("c")];
        var round = new LabellingRound(items);
        var suggestions = new Dictionary<string, ItemSuggestion> // computed while a, b and c were all unlabelled
        {
            [items[0].Key] = new("bug", 0.7, 0.4, "baseline"),
            [items[1].Key] = new("praise", 0.6, 0.2, "baseline"),
            [items[2].Key] = new("bug", 0.9, 0.8, "baseline"),
        };
        round.Record(items[0], new ReviewLabel { ReviewsFile = "f", Column = "c", ReviewKey = items[0].Key, Label = "bug", Version = 1 });
        round.Suggest(suggestions); // they arrive after 'a' was labelled

        var undo = round.PopUndo()!;
        round.Restore(undo, null);
        Assert.Equal("a", round.Current!.Review.Id);
        Assert.Equal("bug", round.Current.Suggestion?.Label);
        Assert.Equal(0.4, round.Current.Suggestion?.Margin);
    }

    [Fact]
    public void The_label_set_is_the_labels_given_and_the_typed_ones_without_repeats()
    {
        var round = new LabellingRound([Item("a", "bug"), Item("b", "praise"), Item("c")]);
        Assert.Equal(["bug", "praise", "pricing"], round.LabelSet([" pricing", "bug", ""]));
    }
}
