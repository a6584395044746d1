namespace MailAuth.Bench;

/// <summary>
/// One side-by-side benchmark: it runs MailAuth and a peer implementation on the same input in
/// the same run and prints both figures and their ratio. Implementations are found by reflection,
/// so a new benchmark is one new file.
/// </summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line, e.g. "spf-check-host".</summary>
    string Name { get; }

    /// <summary>One line saying what is measured, against which peer, and the target.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and returns its report (also printed as it goes).</summary>
    BenchmarkReport Run(BenchmarkContext context);
}
