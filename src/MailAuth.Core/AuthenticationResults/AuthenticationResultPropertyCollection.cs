using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// The properties of one result in header order, indexable by position or by <c>ptype.property</c> key
/// (<c>$r.Properties['header.d']</c> in PowerShell). Keys compare case-insensitively (RFC 8601 §2.2).
/// </summary>
public sealed class AuthenticationResultPropertyCollection : IReadOnlyList<AuthenticationResultProperty>
{
    /// <summary>A collection with no properties.</summary>
    public static readonly AuthenticationResultPropertyCollection Empty = new AuthenticationResultPropertyCollection(Array.Empty<AuthenticationResultProperty>());

    private readonly IReadOnlyList<AuthenticationResultProperty> _items;

    public AuthenticationResultPropertyCollection(IEnumerable<AuthenticationResultProperty> items) =>
        _items = (items ?? Enumerable.Empty<AuthenticationResultProperty>()).ToArray();

    public int Count => _items.Count;

    public AuthenticationResultProperty this[int index] => _items[index];

    /// <summary>The value of the first property with this <c>ptype.property</c> key, or null.</summary>
    public string this[string key] => Find(key)?.Value;

    /// <summary>The first property with this <c>ptype.property</c> key, or null.</summary>
    public AuthenticationResultProperty Find(string key) =>
        _items.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when a property with this key is present.</summary>
    public bool Contains(string key) => Find(key) != null;

    public IEnumerator<AuthenticationResultProperty> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>key=value</c> pairs separated by spaces, as in the header.</summary>
    public override string ToString() => string.Join(" ", _items.Select(p => p.ToString()));
}
