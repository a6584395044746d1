using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Common;

/// <summary>
/// The shape results need to survive PowerShell's pipeline tools: collections that cannot be changed and whose text lists
/// the items (what Export-Csv writes), and enums that ConvertTo-Json writes by name.
/// </summary>
public sealed class ResultShapeTests
{
    [Fact]
    public void Every_public_enum_is_long_based_so_ConvertTo_Json_writes_its_name()
    {
        var enums = typeof(Finding).Assembly.GetExportedTypes().Where(t => t.IsEnum).ToList();
        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.True(Enum.GetUnderlyingType(e) == typeof(long), e.FullName + " is not based on long"));
    }

    [Fact]
    public void ReadOnlyArray_cannot_be_changed_and_lists_its_items_as_text()
    {
        var source = new List<string> { "a", "b" };
        var array = ReadOnlyArray.From(source);
        source.Add("c");
        Assert.Equal(new[] { "a", "b" }, array);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)array).Add("d"));
        Assert.Throws<NotSupportedException>(() => ((IList<string>)array)[0] = "x");
        Assert.Equal("a; b", array.ToString());
        Assert.Null(array.GetType().GetMethod("ForEach"));
    }

    [Fact]
    public void ReadOnlyArray_of_null_is_the_empty_collection()
    {
        Assert.Empty(ReadOnlyArray.From<Finding>(null));
        Assert.Same(ReadOnlyArray<Finding>.Empty, ReadOnlyArray.From(Array.Empty<Finding>()));
    }

    [Fact]
    public void Spf_network_exposes_its_address_as_text()
    {
        var network = new SpfNetwork(System.Net.IPAddress.Parse("2001:db8::7"), 64);
        Assert.Equal("2001:db8::", network.Address);
        Assert.Equal("2001:db8::/64", network.ToString());
        Assert.True(network.Contains(System.Net.IPAddress.Parse("2001:db8::1")));
    }
}
