namespace MailAuth.Dns;

/// <summary>
/// What the DNS said. <see cref="NoError"/> with no records is NODATA; both it and
/// <see cref="NxDomain"/> are answers ("not there"), while <see cref="Error"/> means
/// "could not find out" and carries a <see cref="DnsErrorKind"/>.
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DnsResponseStatus : long
{
    NoError = 0,
    NxDomain = 1,
    Error = 2,
}
