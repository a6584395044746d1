using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Spf;

/// <summary>
/// A parsed SPF record (RFC 7208 §4.6.1, §12 ABNF): the terms in order, the mechanisms in the order
/// check_host() evaluates them, and the redirect= and exp= modifiers. Parse with <see cref="SpfRecordParser"/>.
/// </summary>
public sealed class SpfRecord
{
    internal SpfRecord(string text, IReadOnlyList<SpfTerm> terms)
    {
        Text = text;
        Terms = ReadOnlyArray.From(terms);
        Mechanisms = ReadOnlyArray.From(terms.OfType<SpfMechanism>());
        Modifiers = ReadOnlyArray.From(terms.OfType<SpfModifier>());
        Redirect = Modifiers.FirstOrDefault(m => m.IsRedirect);
        Explanation = Modifiers.FirstOrDefault(m => m.IsExplanation);
        All = Mechanisms.FirstOrDefault(m => m.Kind == SpfMechanismKind.All);
    }

    /// <summary>The record text, as published (character-strings joined).</summary>
    public string Text { get; }

    /// <summary>Every term, in the order written.</summary>
    public IReadOnlyList<SpfTerm> Terms { get; }

    /// <summary>The directives, in evaluation order.</summary>
    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    /// <summary>Every modifier, known and unknown.</summary>
    public IReadOnlyList<SpfModifier> Modifiers { get; }

    /// <summary>The redirect= modifier (§6.1), or null.</summary>
    public SpfModifier Redirect { get; }

    /// <summary>The exp= modifier (§6.2), or null.</summary>
    public SpfModifier Explanation { get; }

    /// <summary>The first "all" mechanism, or null. When present, redirect= is ignored (§6.1).</summary>
    public SpfMechanism All { get; }

    /// <summary>True when <paramref name="text"/> is an SPF record at all: "v=spf1" alone or followed by a space (§4.5).</summary>
    public static bool IsSpfRecord(string text) =>
        text != null && text.Length >= 6 && string.Compare(text, 0, "v=spf1", 0, 6, StringComparison.OrdinalIgnoreCase) == 0
        && (text.Length == 6 || text[6] == ' ');

    public override string ToString() => Text;
}
