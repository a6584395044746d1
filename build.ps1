#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the MailAuth module.

.DESCRIPTION
    A thin front door over dotnet: the module folder is laid out by MSBuild (src/MailAuth.PowerShell), so
    `dotnet build` alone builds it. Needs only the .NET SDK; where pwsh is not installed, run it through the
    repository's console host, which embeds the same PowerShell 7 engine:

        dotnet src/MailAuth.Host/bin/Debug/net10.0/mailauth-host.dll -File build.ps1 -Task Package

    That engine has only the Microsoft.PowerShell.Core cmdlets, so this script uses .NET calls
    ([System.IO.File], [System.IO.Directory]) instead of Copy-Item, Remove-Item or Write-Host.

.PARAMETER Task
    Build (default): build the module into bin/, where ./MailAuth.psd1 loads it from.
    Test: run every test (the README's test command, dotnet test MailAuth.sln).
    Package: build, then lay out a self-contained module folder <OutputPath>/MailAuth/<version>/, ready to publish.

.PARAMETER Configuration
    The MSBuild configuration: Debug or Release. Default: Release for Package, Debug otherwise.

.PARAMETER OutputPath
    Where Package puts the MailAuth/<version>/ folder. Default: out/ in the repository.

.PARAMETER NoBuild
    Package the module already in bin/ without building it again.

.EXAMPLE
    ./build.ps1 -Task Package
    Builds in Release and writes out/MailAuth/0.1.0/.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration,

    [string] $OutputPath,

    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
if (-not $Configuration) { $Configuration = if ($Task -eq 'Package') { 'Release' } else { 'Debug' } }
if (-not $OutputPath) { $OutputPath = [System.IO.Path]::Combine($root, 'out') }
$OutputPath = [System.IO.Path]::GetFullPath($OutputPath, $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath)

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Copy-Directory {
    param([string] $Source, [string] $Destination)
    $null = [System.IO.Directory]::CreateDirectory($Destination)
    foreach ($file in [System.IO.Directory]::GetFiles($Source)) {
        [System.IO.File]::Copy($file, [System.IO.Path]::Combine($Destination, [System.IO.Path]::GetFileName($file)), $true)
    }
    foreach ($directory in [System.IO.Directory]::GetDirectories($Source)) {
        Copy-Directory -Source $directory -Destination ([System.IO.Path]::Combine($Destination, [System.IO.Path]::GetFileName($directory)))
    }
}

function Invoke-Build {
    Invoke-Dotnet build ([System.IO.Path]::Combine($root, 'src', 'MailAuth.PowerShell', 'MailAuth.PowerShell.csproj')) -c $Configuration --nologo
}

function Invoke-Package {
    if (-not $NoBuild) { Invoke-Build }
    $manifestPath = [System.IO.Path]::Combine($root, 'MailAuth.psd1')
    $manifest = Test-ModuleManifest -Path $manifestPath
    $bin = [System.IO.Path]::Combine($root, 'bin')
    if (-not [System.IO.File]::Exists([System.IO.Path]::Combine($bin, 'MailAuth.PowerShell.dll'))) { throw "The module is not built ($bin); run without -NoBuild." }

    $target = [System.IO.Path]::Combine($OutputPath, 'MailAuth', $manifest.Version.ToString())
    if ([System.IO.Directory]::Exists($target)) { [System.IO.Directory]::Delete($target, $true) }
    $null = [System.IO.Directory]::CreateDirectory($target)

    # The manifest keeps its relative layout: bin/MailAuth.PowerShell.dll, bin/Dependencies, bin/Formats, bin/en-US.
    foreach ($name in 'MailAuth.psd1', 'LICENSE', 'THIRD-PARTY-NOTICES', 'README.md') {
        [System.IO.File]::Copy([System.IO.Path]::Combine($root, $name), [System.IO.Path]::Combine($target, $name), $true)
    }
    Copy-Directory -Source $bin -Destination ([System.IO.Path]::Combine($target, 'bin'))
    foreach ($debugSymbols in [System.IO.Directory]::GetFiles($target, '*.pdb', [System.IO.SearchOption]::AllDirectories)) {
        [System.IO.File]::Delete($debugSymbols)
    }

    # What must never ship: the PowerShell engine itself (the PowerShell that imports the module brings it).
    $engine = [System.IO.Directory]::GetFiles($target, 'System.Management.Automation.dll', [System.IO.SearchOption]::AllDirectories)
    if ($engine.Count -gt 0) { throw "The package contains $($engine -join ', ')." }
    $packaged = Test-ModuleManifest -Path ([System.IO.Path]::Combine($target, 'MailAuth.psd1'))
    "Packaged MailAuth $($packaged.Version) in $target"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Dotnet test ([System.IO.Path]::Combine($root, 'MailAuth.sln')) -c $Configuration --nologo }
    'Package' { Invoke-Package }
}
