using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace MailAuth.Common;

/// <summary>
/// The collection type of every result: a copy that cannot be changed, with no methods of its own named
/// like PowerShell's intrinsic ones (so <c>.ForEach()</c> and <c>.Where()</c> in a script run PowerShell's,
/// not <c>List&lt;T&gt;.ForEach</c>), and a <see cref="ToString"/> that lists the items, which is what
/// Export-Csv writes for a collection-valued property.
/// </summary>
public sealed class ReadOnlyArray<T> : ReadOnlyCollection<T>
{
    /// <summary>The empty collection.</summary>
    public static readonly ReadOnlyArray<T> Empty = new ReadOnlyArray<T>(Array.Empty<T>());

    internal ReadOnlyArray(T[] items) : base(items)
    {
    }

    /// <summary>The items' text, separated by "; ".</summary>
    public override string ToString() => string.Join("; ", this.Select(i => i?.ToString()));
}

/// <summary>Makes <see cref="ReadOnlyArray{T}"/> copies.</summary>
public static class ReadOnlyArray
{
    /// <summary>A read-only copy of <paramref name="items"/>; the empty collection for null. A collection that is already read-only is kept.</summary>
    public static ReadOnlyArray<T> From<T>(IEnumerable<T> items)
    {
        if (items == null) return ReadOnlyArray<T>.Empty;
        if (items is ReadOnlyArray<T> already) return already;
        var array = items.ToArray();
        return array.Length == 0 ? ReadOnlyArray<T>.Empty : new ReadOnlyArray<T>(array);
    }
}
