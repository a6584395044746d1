namespace MailAuth.Dmarc;

/// <summary>The stable codes of DMARC findings; safe to match in scripts.</summary>
public static class DmarcFindingCode
{
    public const string NotFound = "DmarcNotFound";
    public const string LookupFailed = "DmarcLookupFailed";
    public const string MultipleRecords = "DmarcMultipleRecords";
    public const string InvalidVersion = "DmarcInvalidVersion";
    public const string SyntaxError = "DmarcSyntaxError";
    public const string DuplicateTag = "DmarcDuplicateTag";
    public const string UnknownTag = "DmarcUnknownTag";
    public const string MissingPolicy = "DmarcMissingPolicy";
    public const string InvalidPolicy = "DmarcInvalidPolicy";
    public const string InvalidTagValue = "DmarcInvalidTagValue";
    public const string RemovedTag = "DmarcRemovedTag";
    public const string InvalidReportUri = "DmarcInvalidReportUri";
    public const string UnsupportedReportUri = "DmarcUnsupportedReportUri";
    public const string FailureOptionsWithoutRuf = "DmarcFailureOptionsWithoutRuf";
    public const string PolicyNone = "DmarcPolicyNone";
    public const string NoAggregateReports = "DmarcNoAggregateReports";
    public const string TestingMode = "DmarcTestingMode";
    public const string PolicyInherited = "DmarcPolicyInherited";
    public const string PublicSuffixPolicy = "DmarcPublicSuffixPolicy";
    public const string PolicyUnusable = "DmarcPolicyUnusable";
    public const string DomainExistenceUnknown = "DmarcDomainExistenceUnknown";
    public const string ExternalReportAuthorized = "DmarcExternalReportAuthorized";
    public const string ExternalReportNotAuthorized = "DmarcExternalReportNotAuthorized";
    public const string ExternalReportCheckFailed = "DmarcExternalReportCheckFailed";
    public const string TreeWalkShortened = "DmarcTreeWalkShortened";
}
