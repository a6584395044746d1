namespace MailAuth.Spf;

/// <summary>The stable codes of the findings <see cref="SpfRecordInspector"/> reports.</summary>
public static class SpfFindingCodes
{
    public const string NotFound = "SpfNotFound";
    public const string LookupFailed = "SpfLookupFailed";
    public const string MultipleRecords = "SpfMultipleRecords";
    public const string SyntaxError = "SpfSyntaxError";
    public const string PtrMechanism = "SpfPtrMechanism";
    public const string PassAll = "SpfPassAll";
    public const string NeutralAll = "SpfNeutralAll";
    public const string NoAll = "SpfNoAll";
    public const string StringTooLong = "SpfStringTooLong";
    public const string TooManyLookups = "SpfTooManyLookups";
    public const string TooManyVoidLookups = "SpfTooManyVoidLookups";
    public const string VoidLookup = "SpfVoidLookup";
    public const string IncludeLoop = "SpfIncludeLoop";
    public const string IncludeNotFound = "SpfIncludeNotFound";
    public const string IncludeLookupFailed = "SpfIncludeLookupFailed";
    public const string IncludeInvalid = "SpfIncludeInvalid";
    public const string TooManyMxNames = "SpfTooManyMxNames";
    public const string RedirectIgnored = "SpfRedirectIgnored";
    public const string TermsAfterAll = "SpfTermsAfterAll";
    public const string DeprecatedRecordType = "SpfDeprecatedRecordType";
    public const string UnknownModifier = "SpfUnknownModifier";
    public const string MacroNotExpanded = "SpfMacroNotExpanded";
}
