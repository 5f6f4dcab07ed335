using System.Diagnostics;
using System.Globalization;

namespace Grants.Benchmarks;

/// <summary>
/// The processes this one started, directly or not (the local host's Azurite and its launcher), so
/// that a benchmark can tell how much CPU the storage emulator used. Parents are read from /proc,
/// so on other systems the set is empty and <see cref="ProcessorTime"/> is null.
/// </summary>
public sealed class ChildProcesses
{
    private readonly int[] _ids;

    private ChildProcesses(int[] ids) => _ids = ids;

    public int Count => _ids.Length;

    public static ChildProcesses OfCurrentProcess()
    {
        if (!Directory.Exists("/proc"))
        {
            return new ChildProcesses([]);
        }

        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Parent(directory) is { } parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(id);
            }
        }

        var found = new List<int>();
        var pending = new Queue<int>([Environment.ProcessId]);
        while (pending.TryDequeue(out var id))
        {
            foreach (var child in children.GetValueOrDefault(id) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        }

        return new ChildProcesses([.. found]);
    }

    /// <summary>The CPU time these processes have used so far, user and system; null when none is known.</summary>
    public TimeSpan? ProcessorTime()
    {
        if (_ids.Length == 0)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (var id in _ids)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // The process has ended; it used no CPU since.
            }
        }

        return total;
    }

    /// <summary>The largest resident memory each of these processes had (VmHWM in /proc/{id}/status), summed; null when none is known.</summary>
    public long? PeakResidentBytes()
    {
        long? total = null;
        foreach (var id in _ids)
        {
            try
            {
                var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    total = (total ?? 0) + (1024 * long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process has ended.
            }
        }

        return total;
    }

    /// <summary>The parent's id: /proc/{id}/stat reads "id (name) state parent …", and the name may hold spaces.</summary>
    private static int? Parent(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // The process ended while we looked.
        }
    }
}
