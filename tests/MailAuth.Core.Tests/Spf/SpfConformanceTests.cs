using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailAuth.Spf;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>
/// The openspf.org RFC 7208 (and RFC 4408) test suites, every test by name, against an in-memory resolver
/// built from each scenario's zonedata. Where a test allows several results, any of them passes.
/// An expected explanation of "DEFAULT" means no exp= explanation.
/// </summary>
public sealed class SpfConformanceTests
{
    private static readonly Lazy<Dictionary<string, SpfTestSuite.Case>> Cases = new Lazy<Dictionary<string, SpfTestSuite.Case>>(() =>
    {
        var all = new Dictionary<string, SpfTestSuite.Case>(StringComparer.Ordinal);
        foreach (var file in new[] { "rfc7208-tests.yml", "rfc4408-tests.yml" })
            foreach (var scenario in SpfTestSuite.Load(RepositoryPaths.DataFile("spf", file)))
                foreach (var c in scenario.Cases)
                    all[Key(c)] = c;
        return all;
    });

    private static string Key(SpfTestSuite.Case c) => $"{c.Suite}/{c.Name}";

    public static IEnumerable<object[]> Rfc7208() => Cases.Value.Values.Where(c => c.Suite == "rfc7208-tests").Select(c => new object[] { c.Name });
    public static IEnumerable<object[]> Rfc4408() => Cases.Value.Values.Where(c => c.Suite == "rfc4408-tests").Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Rfc7208))]
    public Task Rfc7208_suite(string test) => Run(Cases.Value["rfc7208-tests/" + test]);

    [Theory]
    [MemberData(nameof(Rfc4408))]
    public Task Rfc4408_suite(string test) => Run(Cases.Value["rfc4408-tests/" + test]);

    [Fact]
    public void Every_suite_test_is_loaded()
    {
        Assert.True(Cases.Value.Values.Count(c => c.Suite == "rfc7208-tests") > 200);
        Assert.True(Cases.Value.Values.Count(c => c.Suite == "rfc4408-tests") > 150);
    }

    private static async Task Run(SpfTestSuite.Case c)
    {
        var result = await Evaluate(c);
        var expected = c.Results.Select(r => r.ToLowerInvariant()).ToArray();
        Assert.True(expected.Contains(result.Result.ToString().ToLowerInvariant()),
            $"{c} ({c.Spec}): expected {string.Join(" or ", expected)}, got {result.Result}: {result.Reason}\n  " + string.Join("\n  ", result.Trace));
        if (c.Explanation != null && result.Result == SpfResult.Fail)
        {
            if (c.Explanation == "DEFAULT") Assert.Null(result.Explanation);
            else Assert.Equal(c.Explanation, result.Explanation);
        }
    }

    private static Task<SpfCheckResult> Evaluate(SpfTestSuite.Case c)
    {
        var evaluator = new SpfEvaluator(c.Scenario.Resolver) { ReceiverDomain = "unknown" };
        return evaluator.CheckHostAsync(IPAddress.Parse(c.Host), c.MailFrom, c.Helo);
    }
}
