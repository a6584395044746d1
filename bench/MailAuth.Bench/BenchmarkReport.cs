using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MailAuth.Bench;

/// <summary>A benchmark's figures: one row per measure, ours beside the peer's, and the ratio against the target.</summary>
public sealed class BenchmarkReport
{
    public BenchmarkReport(string name) => Name = name;

    public string Name { get; }
    public List<Row> Rows { get; } = new List<Row>();

    public sealed class Row
    {
        public string Measure { get; set; }
        public string Unit { get; set; }
        public double Ours { get; set; }
        public double Peer { get; set; }
        public string PeerName { get; set; }
        /// <summary>Ours / Peer for "higher is better" units, Peer / Ours otherwise.</summary>
        public double Ratio { get; set; }
        public double? Target { get; set; }
        public string Note { get; set; }
    }

    public Row Add(string measure, string unit, double ours, string peerName, double peer, bool higherIsBetter, double? target = null, string note = null)
    {
        var ratio = peer <= 0 || ours <= 0 ? double.NaN : higherIsBetter ? ours / peer : peer / ours;
        var row = new Row { Measure = measure, Unit = unit, Ours = ours, Peer = peer, PeerName = peerName, Ratio = ratio, Target = target, Note = note };
        Rows.Add(row);
        return row;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"== {Name}");
        foreach (var r in Rows)
        {
            var target = r.Target.HasValue ? string.Format(CultureInfo.InvariantCulture, " target >= {0:0.#}x: {1}", r.Target.Value, r.Ratio >= r.Target.Value ? "MET" : "NOT MET") : string.Empty;
            sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-44} MailAuth {1,14:N1} {2,-12} {3} {4,14:N1}   ratio {5,8:N1}x{6}{7}",
                r.Measure, r.Ours, r.Unit, (r.PeerName ?? "peer").PadRight(10), r.Peer, r.Ratio, target, string.IsNullOrEmpty(r.Note) ? "" : "  (" + r.Note + ")"));
        }
        return sb.ToString();
    }
}
