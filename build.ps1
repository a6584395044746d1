#!/usr/bin/env pwsh
#Requires -Version 7.0

<#
.SYNOPSIS
    Builds, tests and packages the MailAuth module.

.DESCRIPTION
    A thin front door over dotnet: the module folder bin/ is laid out by MSBuild (src/MailAuth.PowerShell), so
    `dotnet build` alone builds it, and ./MailAuth.psd1 imports it from there. Run it in PowerShell 7; without one
    installed, the repository pins the PowerShell global tool:

        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test

    Windows PowerShell 5.1 can import the built module (it targets netstandard2.0) but cannot run this script.

.PARAMETER Task
    Build (default): build the module into bin/.
    Test: build everything, run the xunit suites (dotnet test MailAuth.sln) and the Pester suite (tests/Pester) under
    each Pester version in -PesterVersion, each in its own pwsh process, and end with one line
    'N passed, N failed, N skipped' that sums them all. Exits 1 when any test failed.
    Pester: build the module and run only the Pester suite.
    Package: build in Release, then lay out a self-contained module folder <OutputPath>/MailAuth/<version>/.

.PARAMETER Configuration
    The MSBuild configuration: Debug or Release. Default: Release for Package, Debug otherwise.

.PARAMETER OutputPath
    Where Package puts the MailAuth/<version>/ folder. Default: out/ in the repository.

.PARAMETER NoBuild
    Use what is already built (bin/ and the test assemblies) instead of building again.

.PARAMETER PesterVersion
    The Pester versions the Pester suite runs under, restored from NuGet (tests/Pester/PesterModules.csproj).
    Default: 5.7.1 and 6.2.0.

.EXAMPLE
    ./build.ps1

    Builds the module; then `Import-Module ./MailAuth.psd1` loads it.

.EXAMPLE
    ./build.ps1 -Task Test

    Runs every test and ends with a line such as '2093 passed, 0 failed, 0 skipped'.

.EXAMPLE
    ./build.ps1 -Task Pester -PesterVersion 5.7.1 -NoBuild

    Runs only the Pester suite, under Pester 5.7.1, against the module already in bin/.

.EXAMPLE
    ./build.ps1 -Task Package

    Builds in Release and writes out/MailAuth/0.1.0/, ready to copy into a folder of $env:PSModulePath.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration,

    [string] $OutputPath,

    [switch] $NoBuild,

    [string[]] $PesterVersion = @('5.7.1', '6.2.0')
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
if (-not $Configuration) { $Configuration = if ($Task -eq 'Package') { 'Release' } else { 'Debug' } }
if (-not $OutputPath) { $OutputPath = Join-Path $root 'out' }
$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'src/MailAuth.PowerShell/MailAuth.PowerShell.csproj') -c $Configuration --nologo
}

function Invoke-Package {
    if (-not $NoBuild) { Invoke-Build }
    $manifest = Test-ModuleManifest -Path (Join-Path $root 'MailAuth.psd1')
    $bin = Join-Path $root 'bin'
    if (-not (Test-Path (Join-Path $bin 'MailAuth.PowerShell.dll'))) { throw "The module is not built ($bin); run without -NoBuild." }

    $target = Join-Path $OutputPath "MailAuth/$($manifest.Version)"
    if (Test-Path $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $target -Force

    # The manifest keeps its relative layout: bin/MailAuth.PowerShell.dll, bin/Dependencies, bin/Formats, bin/en-US.
    foreach ($name in 'MailAuth.psd1', 'LICENSE', 'THIRD-PARTY-NOTICES', 'README.md') {
        Copy-Item -LiteralPath (Join-Path $root $name) -Destination $target
    }
    Copy-Item -LiteralPath $bin -Destination (Join-Path $target 'bin') -Recurse
    # About topics sit in the module base's own en-US folder (the build writes them there from docs/).
    Copy-Item -LiteralPath (Join-Path $root 'en-US') -Destination (Join-Path $target 'en-US') -Recurse
    Get-ChildItem -LiteralPath $target -Recurse -Filter '*.pdb' | Remove-Item -Force

    # What must never ship: the PowerShell engine itself (the PowerShell that imports the module brings it).
    $engine = @(Get-ChildItem -LiteralPath $target -Recurse -Filter 'System.Management.Automation.dll')
    if ($engine.Count -gt 0) { throw "The package contains $($engine.FullName -join ', ')." }
    $packaged = Test-ModuleManifest -Path (Join-Path $target 'MailAuth.psd1')
    "Packaged MailAuth $($packaged.Version) in $target"
}

function Get-PwshCommand {
    <# How to start another pwsh like this one: the pwsh executable, or dotnet with the global tool's pwsh.dll. #>
    $native = Join-Path $PSHOME 'pwsh'
    if ($IsWindows) { $native += '.exe' }
    if (Test-Path -LiteralPath $native) { return @($native) }
    return @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
}

function Invoke-XunitSuite {
    <# Runs dotnet test over the solution; returns the totals read from the TRX files it writes. #>
    $results = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-trx-' + [guid]::NewGuid().ToString('N'))
    $arguments = @('test', (Join-Path $root 'MailAuth.sln'), '-c', $Configuration, '--nologo', '--logger', 'trx', '--results-directory', $results)
    if (-not $NoBuild) { Invoke-Dotnet build (Join-Path $root 'MailAuth.sln') -c $Configuration --nologo }
    $arguments += '--no-build'
    Write-Host "dotnet $($arguments -join ' ')"
    & dotnet @arguments | Out-Host
    $exit = $LASTEXITCODE
    $totals = [pscustomobject]@{ Suite = 'xunit'; Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem -LiteralPath $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $totals.Passed += [int]$counters.passed
        $totals.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $totals.Skipped += [int]$counters.notExecuted
    }
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction SilentlyContinue
    # The differential test against postalsys mailauth writes how far the two agree (dotnet test shows no output of a passing test).
    $differential = Join-Path $root 'tests/peers/differential-summary.txt'
    if (Test-Path -LiteralPath $differential) { Get-Content -LiteralPath $differential | Write-Host }
    # A run that failed before writing its results (a build or host crash) counts as one failure.
    if ($exit -ne 0 -and $totals.Failed -eq 0) { $totals.Failed = 1 }
    $totals
}

function Invoke-PesterSuite {
    <# Runs tests/Pester under one Pester version in a new pwsh process; returns its totals. #>
    param([string] $Version)
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() "pester/$Version/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $pester)) {
        Invoke-Dotnet restore (Join-Path $root 'tests/Pester/PesterModules.csproj') --nologo
        if (-not (Test-Path -LiteralPath $pester)) { throw "Pester $Version is not in $packages after the restore: add it to tests/Pester/PesterModules.csproj." }
    }
    $summary = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-' + [guid]::NewGuid().ToString('N') + '.json')
    $script = @'
param($PesterPath, $TestPath, $SummaryPath)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $configuration
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
   Skipped = $result.SkippedCount + $result.NotRunCount } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
'@
    $scriptPath = [System.IO.Path]::ChangeExtension($summary, '.ps1')
    Set-Content -LiteralPath $scriptPath -Value $script
    $pwsh = @(Get-PwshCommand)
    Write-Host "Pester $Version`: $($pwsh -join ' ') -File $scriptPath"
    $command = $pwsh[0]
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptPath, $pester, (Join-Path $root 'tests/Pester'), $summary)
    & $command @arguments | Out-Host
    $totals = [pscustomobject]@{ Suite = "Pester $Version"; Passed = 0; Failed = 1; Skipped = 0 }
    if (Test-Path -LiteralPath $summary) {
        $counts = Get-Content -Raw -LiteralPath $summary | ConvertFrom-Json
        $totals.Passed = $counts.Passed; $totals.Failed = $counts.Failed; $totals.Skipped = $counts.Skipped
    }
    Remove-Item -LiteralPath $summary, $scriptPath -ErrorAction SilentlyContinue
    $totals
}

function Write-Totals {
    param([object[]] $Suites)
    foreach ($suite in $Suites) { Write-Host ("{0,-14} {1} passed, {2} failed, {3} skipped" -f $suite.Suite, $suite.Passed, $suite.Failed, $suite.Skipped) }
    $passed = ($Suites | Measure-Object Passed -Sum).Sum
    $failed = ($Suites | Measure-Object Failed -Sum).Sum
    $skipped = ($Suites | Measure-Object Skipped -Sum).Sum
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' {
        $suites = @(Invoke-XunitSuite)
        foreach ($version in $PesterVersion) { $suites += Invoke-PesterSuite -Version $version }
        Write-Totals $suites
    }
    'Pester' {
        if (-not $NoBuild) { Invoke-Build }
        Write-Totals @(foreach ($version in $PesterVersion) { Invoke-PesterSuite -Version $version })
    }
    'Package' { Invoke-Package }
}
