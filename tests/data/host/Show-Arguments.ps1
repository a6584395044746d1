# Used by ConsoleHostTests: shows how mailauth-host -File bound its arguments, and exits with -ExitCode.
[CmdletBinding()]
param(
    [Parameter(Position = 0)] [string] $First,
    [string[]] $Domain,
    [switch] $Force,
    [int] $Count = 1,
    [string] $Text,
    [int] $ExitCode = 0
)
"First=$First"
"Domain=$($Domain -join '|') ($(@($Domain).Count))"
"Force=$Force"
"Count=$Count"
"Text=$Text"
if ($ExitCode -ne 0) { exit $ExitCode }
