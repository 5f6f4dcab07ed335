namespace Grants.Cli.Demo;

/// <summary>
/// Answers calibrated to the ESF-E 2008 evaluation (domain.md §2): two years on, 67% of lottery losers
/// had not carried out the project, 25% did it smaller, 7% later, 10% with less external help (answers
/// overlap); 29% of recipients said it would have gone exactly the same without the subsidy, and for the
/// others the subsidy mainly changed its size (31%), start (18%) and external help (12%).
/// </summary>
public static class SyntheticAnswers
{
    public static List<KeyValuePair<string, string>> For(bool received, int wave, Random random)
    {
        var form = new List<KeyValuePair<string, string>>();
        void Add(string name, string value) => form.Add(new(name, value));

        // Losers: a third go ahead (a little fewer after one year than after two); recipients almost all.
        var realised = random.NextDouble() < (received ? 0.93 : wave == 1 ? 0.30 : 0.33);
        if (!realised)
        {
            Add("project", "not_at_all");
        }
        else if (received)
        {
            Add("project", random.NextDouble() < 0.8 ? "as_planned" : "later");
        }
        else
        {
            // Among losers who went ahead: smaller 25/33, later 7/33, less external help 10/33.
            var any = false;
            foreach (var (option, share) in new[] { ("smaller", 25 / 33.0), ("later", 7 / 33.0), ("less_external", 10 / 33.0) })
            {
                if (random.NextDouble() < share)
                {
                    Add("project", option);
                    any = true;
                }
            }

            if (!any)
            {
                Add("project", "as_planned");
            }
        }

        if (received)
        {
            if (random.NextDouble() < 0.29)
            {
                Add("counterfactual", "as_planned");
            }
            else
            {
                var any = false;
                foreach (var (option, share) in new[] { ("smaller", 0.31 / 0.71), ("later", 0.18 / 0.71), ("less_external", 0.12 / 0.71) })
                {
                    if (random.NextDouble() < share)
                    {
                        Add("counterfactual", option);
                        any = true;
                    }
                }

                if (!any)
                {
                    Add("counterfactual", "not_at_all");
                }
            }
        }

        Add("money_spent", realised ? (random.Next(20, 160) * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "0");
        foreach (var measure in new[] { "productivity", "business_performance", "innovation", "quality_of_work", "labour_relations", "talent_development" })
        {
            var shift = realised ? 0.6 : 0.0;
            Add(measure, Math.Clamp((int)Math.Round(3 + shift + (random.NextDouble() * 2) - 1), 1, 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Add("other_funding", !received && realised && random.NextDouble() < 0.15 ? "1" : "0");
        Add("action", "submit");
        return form;
    }
}
