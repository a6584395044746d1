using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// A minimal PSHost that writes what PowerShell shows (Out-Default, Write-Host, Write-Progress
/// as text) to a <see cref="TextWriter"/>. The engine's formatter needs a host with a buffer
/// width to lay out tables; this gives it one. The hosted-engine tests read formatted output
/// through it.
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;
    private readonly Guid _id = Guid.NewGuid();

    /// <param name="output">Where output goes.</param>
    /// <param name="error">Where errors, warnings and verbose messages go.</param>
    /// <param name="width">The line width tables are laid out for.</param>
    /// <param name="supportsVirtualTerminal">Keep colour escape sequences (a terminal); false strips them, as for redirected output.</param>
    public TextHost(TextWriter output, TextWriter error, int width = 160, bool supportsVirtualTerminal = false)
    {
        _ui = new TextHostUserInterface(output, error, width, supportsVirtualTerminal);
    }

    /// <summary>The code the script asked to exit with (the engine calls <see cref="SetShouldExit"/>).</summary>
    public int ExitCode { get; private set; }

    /// <summary>True once the engine asked the host to exit.</summary>
    public bool ShouldExit { get; private set; }
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId => _id;
    public override string Name => "MailAuthHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new Version(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode)
    {
        ExitCode = exitCode;
        ShouldExit = true;
    }

    private sealed class TextHostUserInterface : PSHostUserInterface
    {
        private readonly TextWriter _out;
        private readonly TextWriter _err;
        private readonly TextHostRawUserInterface _raw;

        private readonly bool _virtualTerminal;

        public TextHostUserInterface(TextWriter output, TextWriter error, int width, bool supportsVirtualTerminal)
        {
            _out = output;
            _err = error;
            _raw = new TextHostRawUserInterface(width);
            _virtualTerminal = supportsVirtualTerminal;
        }

        public override PSHostRawUserInterface RawUI => _raw;
        public override bool SupportsVirtualTerminal => _virtualTerminal;

        /// <summary>The formatter decorates text with escape sequences; a host strips them unless it shows them ($PSStyle.OutputRendering).</summary>
        private string Render(string value) => value == null ? null : GetOutputString(value, _virtualTerminal);
        public override string ReadLine() => string.Empty;
        public override SecureString ReadLineAsSecureString() => new SecureString();
        public override void Write(string value) => _out.Write(Render(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _out.Write(Render(value));
        public override void WriteLine(string value) => _out.WriteLine(Render(value));
        public override void WriteErrorLine(string value) => _err.WriteLine(Render(value));
        public override void WriteDebugLine(string message) => _err.WriteLine("DEBUG: " + Render(message));
        public override void WriteVerboseLine(string message) => _err.WriteLine("VERBOSE: " + Render(message));
        public override void WriteWarningLine(string message) => _err.WriteLine("WARNING: " + Render(message));
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("This host cannot prompt; pass every mandatory parameter.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("This host cannot prompt for credentials.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("This host cannot prompt for credentials.");
    }

    private sealed class TextHostRawUserInterface : PSHostRawUserInterface
    {
        private Size _buffer;

        public TextHostRawUserInterface(int width) => _buffer = new Size(width, 9999);

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => _buffer; set => _buffer = value; }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => _buffer;
        public override Size MaxWindowSize => _buffer;
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(_buffer.Width, 50); set { } }
        public override string WindowTitle { get; set; } = "MailAuth";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
