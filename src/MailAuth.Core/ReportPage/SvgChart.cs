using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace MailAuth.ReportPage;

/// <summary>
/// The two charts the report page draws, as inline SVG (no script, no font, nothing fetched): a line of a rate over
/// days, and horizontal bars split in two parts (pass and fail). Every label is HTML-encoded: report values are
/// hostile input.
/// </summary>
internal static class SvgChart
{
    private const int Width = 560;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A point of a rate chart: its label (a date) and its value from 0 to 1, with the text its tooltip shows.</summary>
    public sealed class RatePoint
    {
        public RatePoint(string label, double value, string tooltip)
        {
            Label = label;
            Value = value;
            Tooltip = tooltip;
        }

        public string Label { get; }
        public double Value { get; }
        public string Tooltip { get; }
    }

    /// <summary>A bar: its label and its two parts.</summary>
    public sealed class Bar
    {
        public Bar(string label, long good, long bad)
        {
            Label = label;
            Good = good;
            Bad = bad;
        }

        public string Label { get; }
        public long Good { get; }
        public long Bad { get; }
    }

    /// <summary>A line chart of rates (0 to 100 %) over the points, in order.</summary>
    public static string Rate(string title, IReadOnlyList<RatePoint> points)
    {
        const int height = 240, left = 48, right = 16, top = 16, bottom = 40;
        int plotWidth = Width - left - right, plotHeight = height - top - bottom;
        var svg = Open(title, height);
        foreach (var pct in new[] { 0, 50, 100 })
        {
            double y = top + plotHeight * (1 - pct / 100.0);
            svg.Append($"<line class=\"grid\" x1=\"{left}\" y1=\"{F(y)}\" x2=\"{Width - right}\" y2=\"{F(y)}\"/>");
            svg.Append($"<text class=\"axis\" x=\"{left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{pct}%</text>");
        }
        if (points.Count > 0)
        {
            double X(int i) => points.Count == 1 ? left + plotWidth / 2.0 : left + plotWidth * i / (double)(points.Count - 1);
            double Y(double v) => top + plotHeight * (1 - Math.Max(0, Math.Min(1, v)));
            svg.Append("<polyline class=\"rate\" points=\"");
            svg.Append(string.Join(" ", points.Select((p, i) => F(X(i)) + "," + F(Y(p.Value)))));
            svg.Append("\"/>");
            for (int i = 0; i < points.Count; i++)
                svg.Append($"<circle class=\"rate\" cx=\"{F(X(i))}\" cy=\"{F(Y(points[i].Value))}\" r=\"3\"><title>{E(points[i].Tooltip)}</title></circle>");
            svg.Append($"<text class=\"axis\" x=\"{left}\" y=\"{height - 12}\">{E(points[0].Label)}</text>");
            if (points.Count > 1)
                svg.Append($"<text class=\"axis\" x=\"{Width - right}\" y=\"{height - 12}\" text-anchor=\"end\">{E(points[points.Count - 1].Label)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars, one per item, the good part first; the longest bar spans the plot. An empty <paramref name="goodName"/> leaves its legend out.</summary>
    public static string Bars(string title, IReadOnlyList<Bar> bars, string goodName, string badName)
    {
        const int row = 24, top = 28, labelWidth = 190, right = 70;
        int height = top + Math.Max(1, bars.Count) * row + 8;
        int plotWidth = Width - labelWidth - right;
        long max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Good + b.Bad));
        var svg = Open(title, height);
        if (!string.IsNullOrEmpty(goodName))
            svg.Append($"<rect class=\"good\" x=\"{labelWidth}\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"axis\" x=\"{labelWidth + 14}\" y=\"15\">{E(goodName)}</text>");
        svg.Append($"<rect class=\"bad\" x=\"{labelWidth + 110}\" y=\"6\" width=\"10\" height=\"10\"/><text class=\"axis\" x=\"{labelWidth + 124}\" y=\"15\">{E(badName)}</text>");
        for (int i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            double y = top + i * row;
            double good = plotWidth * b.Good / (double)max, bad = plotWidth * b.Bad / (double)max;
            svg.Append($"<text class=\"label\" x=\"{labelWidth - 6}\" y=\"{F(y + 15)}\" text-anchor=\"end\">{E(Cut(b.Label, 30))}<title>{E(b.Label)}</title></text>");
            svg.Append($"<rect class=\"good\" x=\"{labelWidth}\" y=\"{F(y + 3)}\" width=\"{F(good)}\" height=\"16\"><title>{E(b.Label)}: {b.Good.ToString("N0", Invariant)} {E(goodName)}</title></rect>");
            svg.Append($"<rect class=\"bad\" x=\"{F(labelWidth + good)}\" y=\"{F(y + 3)}\" width=\"{F(bad)}\" height=\"16\"><title>{E(b.Label)}: {b.Bad.ToString("N0", Invariant)} {E(badName)}</title></rect>");
            svg.Append($"<text class=\"axis\" x=\"{F(labelWidth + good + bad + 4)}\" y=\"{F(y + 15)}\">{(b.Good + b.Bad).ToString("N0", Invariant)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int height) =>
        new StringBuilder().Append($"<svg role=\"img\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\"><title>{E(title)}</title>");

    private static string Cut(string text, int length) => text == null || text.Length <= length ? text : text.Substring(0, length - 1) + "\u2026";

    private static string F(double value) => value.ToString("0.#", Invariant);

    internal static string E(string text) => WebUtility.HtmlEncode(text ?? string.Empty);
}
