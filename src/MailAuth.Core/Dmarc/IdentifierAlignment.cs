using System;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Identifier Alignment (RFC 9989 §4.4.1 DKIM, §4.4.2 SPF; strict needs no tree walk, §4.10.2): strict means the two domains are identical
/// (case-insensitive); relaxed means they have the same Organizational Domain, found the same way as
/// Get-DmarcRecord finds it (tree walk, or the Public Suffix List in the legacy mode).
/// </summary>
public sealed class IdentifierAlignment
{
    private readonly OrganizationalDomainFinder _finder;

    public IdentifierAlignment(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _finder = new OrganizationalDomainFinder(resolver, publicSuffixList);
    }

    /// <summary>
    /// Checks whether <paramref name="authenticatedDomain"/> (an address or domain) aligns with
    /// <paramref name="headerFrom"/> (an address or domain). Throws <see cref="MailAuthInputException"/> for invalid names.
    /// </summary>
    public async Task<AlignmentResult> CheckAsync(AuthenticatedIdentifierKind kind, string headerFrom, string authenticatedDomain, AlignmentMode mode,
        DmarcDiscoveryMode discoveryMode = DmarcDiscoveryMode.TreeWalk, CancellationToken cancellationToken = default)
    {
        var from = DomainName.Normalize(DomainName.FromAddressOrDomain(headerFrom));
        var other = DomainName.Normalize(DomainName.FromAddressOrDomain(authenticatedDomain));
        var what = kind == AuthenticatedIdentifierKind.Spf ? "MAIL FROM domain" : "DKIM signing domain (d=)";
        var section = kind == AuthenticatedIdentifierKind.Spf ? "RFC 9989 §4.4.2" : "RFC 9989 §4.4.1";

        var fromOrg = await _finder.FindAsync(from, discoveryMode, cancellationToken).ConfigureAwait(false);
        // A tree walk finds a name's Organizational Domain among the name and its parents (RFC 9989 §4.10.2), so two names
        // without a common parent never share one: the other name is not walked.
        bool unrelated = discoveryMode == DmarcDiscoveryMode.TreeWalk && !SameTopLevel(from, other);
        var otherOrg = string.Equals(from, other, StringComparison.Ordinal) ? fromOrg
            : unrelated ? null
            : await _finder.FindAsync(other, discoveryMode, cancellationToken).ConfigureAwait(false);

        if (string.Equals(from, other, StringComparison.Ordinal))
            return new AlignmentResult(kind, true, from, other, fromOrg.OrganizationalDomain, otherOrg.OrganizationalDomain, mode, discoveryMode, false, DnsErrorKind.None,
                $"The {what} {other} is identical to the From domain, so it is aligned in strict and relaxed mode ({section}).");

        if (mode == AlignmentMode.Strict)
            return new AlignmentResult(kind, false, from, other, fromOrg.OrganizationalDomain, otherOrg?.OrganizationalDomain, mode, discoveryMode, false, DnsErrorKind.None,
                $"Strict alignment needs the {what} to be identical to the From domain; {other} is not {from} ({section}). Use {from} itself, or relaxed alignment.");

        if (unrelated)
            return new AlignmentResult(kind, false, from, other, fromOrg.OrganizationalDomain, null, mode, discoveryMode, false, DnsErrorKind.None,
                $"The {what} {other} and the From domain {from} have no parent domain in common, so they cannot have the same Organizational Domain and are not aligned ({section}). Use a {(kind == AuthenticatedIdentifierKind.Spf ? "MAIL FROM (Return-Path) domain" : "signing domain")} under {fromOrg.OrganizationalDomain ?? from}.");

        var failed = fromOrg.Status == RecordStatus.Error ? fromOrg : otherOrg.Status == RecordStatus.Error ? otherOrg : null;
        if (failed != null)
            return new AlignmentResult(kind, false, from, other, fromOrg.OrganizationalDomain, otherOrg.OrganizationalDomain, mode, discoveryMode, true, failed.ErrorKind,
                $"Could not find the Organizational Domain of {failed.Domain}: {failed.Reason} Alignment cannot be established until the DNS answers.");

        bool aligned = string.Equals(fromOrg.OrganizationalDomain, otherOrg.OrganizationalDomain, StringComparison.Ordinal);
        var reason = aligned
            ? $"The {what} {other} and the From domain {from} have the same Organizational Domain, {fromOrg.OrganizationalDomain}, so they are aligned in relaxed mode ({section})."
            : $"The {what} {other} (Organizational Domain {otherOrg.OrganizationalDomain}) and the From domain {from} (Organizational Domain {fromOrg.OrganizationalDomain}) belong to different organizations, so they are not aligned ({section}). Use a {(kind == AuthenticatedIdentifierKind.Spf ? "MAIL FROM (Return-Path) domain" : "signing domain")} under {fromOrg.OrganizationalDomain}.";
        return new AlignmentResult(kind, aligned, from, other, fromOrg.OrganizationalDomain, otherOrg.OrganizationalDomain, mode, discoveryMode, false, DnsErrorKind.None, reason);
    }

    /// <summary>Whether the two (normalized) names end in the same label, the least they need to have a parent in common.</summary>
    private static bool SameTopLevel(string a, string b) =>
        string.Equals(a.Substring(a.LastIndexOf('.') + 1), b.Substring(b.LastIndexOf('.') + 1), StringComparison.Ordinal);
}
