using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Common;

namespace Grants.Domain.Assessments;

/// <summary>An application to be assessed, with the organisation its members may have declared a conflict with.</summary>
public sealed record AssignmentCandidate(string ApplicationId, string OrganisationKvk);

/// <summary>Two members for an application, and why these two.</summary>
public sealed record PlannedPair(string ApplicationId, IReadOnlyList<string> Members, string Why);

/// <param name="Assigned">In the order the candidates were given.</param>
/// <param name="Unassigned">Applications no assignment can give two members free of conflicts and below their cap, each with why.</param>
/// <param name="Load">Every member's load once the plan is made, the assessments they had already included.</param>
public sealed record AssignmentPlan(IReadOnlyList<PlannedPair> Assigned, IReadOnlyList<(string ApplicationId, string Why)> Unassigned, IReadOnlyDictionary<string, int> Load);

/// <summary>
/// Who assesses what (docs/decisions/0020): every application two members, never one with a declared conflict nor one at
/// the committee's cap; no application left out that a rearrangement of the others could make room for (where caps bind,
/// which applications to leave out is chosen the most constrained first); then the members' loads as even as they can
/// be (no member could give an application to one with two fewer, directly or along a chain of members each taking one
/// of the next one's); then no two members always together where another pairing keeps the loads. Ties are broken by a
/// seeded hash, so the same committee, applications and seed give the same plan.
/// </summary>
public static class AssignmentPlanner
{
    public static AssignmentPlan Plan(CommitteeData committee, IReadOnlyList<AssignmentCandidate> candidates, IReadOnlyDictionary<string, int> existingLoad, string seed)
    {
        var members = committee.Members.ToList();
        var cap = committee.MaxAssessmentsPerMember ?? int.MaxValue;
        var load = members.ToDictionary(m => m, m => existingLoad.TryGetValue(m, out var n) ? n : 0, StringComparer.Ordinal);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"assessment-assignment\n{seed}"));
        ulong Tie(string a, string b) => BitConverter.ToUInt64(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{a}\n{b}")), 0);

        var eligible = candidates.ToDictionary(c => c.ApplicationId,
            c => members.Where(m => !committee.IsConflicted(m, c.ApplicationId, c.OrganisationKvk)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var assigned = candidates.ToDictionary(c => c.ApplicationId, _ => new List<string>(), StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), int>();
        static (string, string) PairOf(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

        // Greedy, the most constrained first: each takes the least loaded free members, the second the one it has been paired with least.
        foreach (var candidate in candidates.OrderBy(c => eligible[c.ApplicationId].Count).ThenBy(c => Tie("order", c.ApplicationId)))
        {
            Cover(candidate.ApplicationId);
        }

        // Those left out, again: the ones covered after them may have made room along a chain.
        while (candidates.Where(c => assigned[c.ApplicationId].Count == 0).Any(c => Cover(c.ApplicationId)))
        {
        }

        Balance();
        Diversify();

        var planned = candidates.Where(c => assigned[c.ApplicationId].Count == Committee.AssessorsPerApplication)
            .Select(c => new PlannedPair(c.ApplicationId, [.. assigned[c.ApplicationId].Order(StringComparer.Ordinal)], Why(c.ApplicationId))).ToList();
        var unassigned = candidates.Where(c => assigned[c.ApplicationId].Count < Committee.AssessorsPerApplication)
            .Select(c => (c.ApplicationId, WhyNot(c.ApplicationId))).ToList();
        return new AssignmentPlan(planned, unassigned, load);

        // Two members for the application, or none: the one it had is then free for the next.
        bool Cover(string id)
        {
            while (assigned[id].Count < Committee.AssessorsPerApplication)
            {
                var free = eligible[id].Where(m => !assigned[id].Contains(m) && load[m] < cap).ToList();
                var pick = free.OrderBy(m => load[m]).ThenBy(m => assigned[id].Sum(other => pairs.GetValueOrDefault(PairOf(m, other)))).ThenBy(m => Tie(id, m)).FirstOrDefault()
                    ?? Augment(id);
                if (pick is null)
                {
                    assigned[id].ForEach(m => load[m]--);
                    assigned[id].Clear();
                    return false;
                }

                foreach (var other in assigned[id])
                {
                    pairs[PairOf(pick, other)] = pairs.GetValueOrDefault(PairOf(pick, other)) + 1;
                }

                assigned[id].Add(pick);
                load[pick]++;
            }

            return true;
        }

        // A member who could take the application once each member along a chain hands one of their applications to the next, the last having room.
        string? Augment(string id)
        {
            var start = eligible[id].Where(m => !assigned[id].Contains(m)).OrderBy(m => Tie(id, m)).ToList();
            foreach (var first in start)
            {
                if (PathFrom(first, m => load[m] < cap, exceptApplication: id) is { } path)
                {
                    Shift(path);
                    load[path[^1].To]++;
                    load[first]--;
                    return first;
                }
            }

            return null;
        }

        // Moves applications along a chain from a member with at least two more than another to that member, until none is left.
        void Balance()
        {
            for (var improved = true; improved;)
            {
                improved = false;
                foreach (var from in members.OrderByDescending(m => load[m]).ThenBy(m => Tie("balance", m)))
                {
                    if (PathFrom(from, m => load[m] <= load[from] - 2 && load[m] < cap, exceptApplication: null) is { } path)
                    {
                        Shift(path);
                        load[from]--;
                        load[path[^1].To]++;
                        improved = true;
                        break;
                    }
                }
            }
        }

        // Two members on exactly the same applications swap one of theirs with a third member's, which keeps every load.
        void Diversify()
        {
            // Each swap parts one pair that was always together, so there are at most as many as there are pairs.
            for (var attempt = 0; attempt < members.Count * members.Count; attempt++)
            {
                var sets = members.ToDictionary(m => m, Of, StringComparer.Ordinal);
                var together = members.SelectMany(a => members.Where(b => string.CompareOrdinal(a, b) < 0).Select(b => (a, b)))
                    .FirstOrDefault(p => sets[p.a].Count >= 2 && sets[p.a].SetEquals(sets[p.b]));
                if (together == default || !Swap(together.a, together.b))
                {
                    return;
                }
            }
        }

        HashSet<string> Of(string member) => assigned.Where(a => a.Value.Contains(member)).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);

        bool Swap(string a, string b)
        {
            foreach (var x in Of(a).OrderBy(x => Tie("swap", x)))
            {
                foreach (var (y, on) in assigned.Where(p => p.Key != x && !p.Value.Contains(b)).OrderBy(p => Tie("swap", p.Key)).Select(p => (p.Key, p.Value)))
                {
                    foreach (var c in on.Where(c => c != a && !assigned[x].Contains(c) && eligible[x].Contains(c) && eligible[y].Contains(b)))
                    {
                        assigned[x][assigned[x].IndexOf(b)] = c;
                        on[on.IndexOf(c)] = b;
                        return true;
                    }
                }
            }

            return false;
        }

        // Breadth first over members: an edge from m to n when an application m assesses could be n's instead.
        List<(string From, string To, string Application)>? PathFrom(string source, Func<string, bool> isEnd, string? exceptApplication)
        {
            var previous = new Dictionary<string, (string From, string Application)>(StringComparer.Ordinal) { [source] = ("", "") };
            var queue = new Queue<string>([source]);
            while (queue.TryDequeue(out var m))
            {
                if (m != source && isEnd(m))
                {
                    var path = new List<(string, string, string)>();
                    for (var at = m; at != source; at = previous[at].From)
                    {
                        path.Insert(0, (previous[at].From, at, previous[at].Application));
                    }

                    return path;
                }

                foreach (var (application, on) in assigned.Where(a => a.Key != exceptApplication && a.Value.Contains(m)).OrderBy(a => Tie("path", a.Key)))
                {
                    foreach (var n in eligible[application].Where(n => !on.Contains(n) && !previous.ContainsKey(n)).OrderBy(n => Tie(application, n)))
                    {
                        previous[n] = (m, application);
                        queue.Enqueue(n);
                    }
                }
            }

            return null;
        }

        void Shift(List<(string From, string To, string Application)> path)
        {
            foreach (var (from, to, application) in path)
            {
                var on = assigned[application];
                on[on.IndexOf(from)] = to;
            }
        }

        string Why(string id) =>
            $"free of conflicts; loads after assignment {string.Join(" and ", assigned[id].Order(StringComparer.Ordinal).Select(m => $"{m} {load[m]}"))} (committee {load.Values.Min()}–{load.Values.Max()})";

        string WhyNot(string id) =>
            eligible[id].Count < Committee.AssessorsPerApplication
                ? $"only {English.Count(eligible[id].Count, "member")} free of conflicts, and it needs {Committee.AssessorsPerApplication}"
                : $"the members free of conflicts ({string.Join(", ", eligible[id].Order(StringComparer.Ordinal))}) are at the cap of {English.Count(cap, "assessment")} each";
    }
}
