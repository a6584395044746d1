namespace MailAuth.Spf;

/// <summary>
/// One term of an SPF record (RFC 7208 §4.6.1): a directive (qualifier + mechanism, <see cref="SpfMechanism"/>)
/// or a modifier (<see cref="SpfModifier"/>). The properties common to both let a table show every term in one shape.
/// </summary>
public abstract class SpfTerm
{
    private protected SpfTerm(string text, string name, string value)
    {
        Text = text;
        Name = name;
        Value = value;
    }

    /// <summary>The term as written in the record.</summary>
    public string Text { get; }

    /// <summary>The mechanism or modifier name, lower-case: <c>include</c>, <c>ip4</c>, <c>redirect</c>, ...</summary>
    public string Name { get; }

    /// <summary>The argument: a domain-spec, a network, or a modifier's macro-string; null when there is none.</summary>
    public string Value { get; }

    /// <summary>True for mechanisms, false for modifiers.</summary>
    public abstract bool IsMechanism { get; }

    /// <summary>The qualifier of a mechanism; null for a modifier.</summary>
    public abstract SpfQualifier? Qualifier { get; }

    /// <summary>The IPv4 prefix length of ip4, a and mx, when written.</summary>
    public virtual int? Ip4CidrLength => null;

    /// <summary>The IPv6 prefix length of ip6, a and mx, when written.</summary>
    public virtual int? Ip6CidrLength => null;

    /// <summary>RFC 7208 §4.6.4: include, a, mx, ptr, exists and redirect count against the limit of 10 DNS-querying terms.</summary>
    public abstract bool CountsTowardLookupLimit { get; }

    public override string ToString() => Text;
}
