using System;
using System.Globalization;

namespace MailAuth.Spf;

/// <summary>
/// One step of a check_host() trace, kept unformatted (a composite format and its arguments) so that an
/// evaluation whose trace nobody reads does not pay for the text; <see cref="SpfCheckResult.Trace"/> renders it.
/// </summary>
internal readonly struct SpfTraceStep
{
    private readonly string _format;
    private readonly object _a0, _a1, _a2, _a3, _a4;
    private readonly FormattableString _text;

    public SpfTraceStep(string format, object a0, object a1, object a2, object a3, object a4)
    {
        _format = format;
        _a0 = a0;
        _a1 = a1;
        _a2 = a2;
        _a3 = a3;
        _a4 = a4;
        _text = null;
    }

    public SpfTraceStep(FormattableString text)
    {
        _format = null;
        _a0 = _a1 = _a2 = _a3 = _a4 = null;
        _text = text;
    }

    public override string ToString() =>
        _text != null ? _text.ToString(CultureInfo.InvariantCulture) : string.Format(CultureInfo.InvariantCulture, _format, _a0, _a1, _a2, _a3, _a4);
}
