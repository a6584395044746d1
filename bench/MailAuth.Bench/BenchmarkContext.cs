using System;
using System.IO;

namespace MailAuth.Bench;

/// <summary>What every benchmark gets: where the repository is, a scratch folder, and a scale knob.</summary>
public sealed class BenchmarkContext
{
    public BenchmarkContext(string repositoryRoot, string scratchDirectory, double scale, TextWriter output)
    {
        RepositoryRoot = repositoryRoot;
        ScratchDirectory = scratchDirectory;
        Scale = scale;
        Output = output;
    }

    public string RepositoryRoot { get; }
    public string ScratchDirectory { get; }

    /// <summary>1.0 for the documented run; smaller for a quick look (--quick is 0.05).</summary>
    public double Scale { get; }
    public TextWriter Output { get; }

    /// <summary>Debian's Python, where the reference implementations (python3-spf, python3-dkim, ...) are installed.</summary>
    public static string DebianPython => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public int Scaled(int n) => Math.Max(1, (int)(n * Scale));

    /// <summary>The one-minute load average (/proc/loadavg), for reports made on a machine that may be shared.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
    }
}
