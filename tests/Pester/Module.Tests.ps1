# The module as a user gets it: the manifest, the help, and Get-MxRecord against a DNS server.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:ManifestPath = Get-RepositoryPath MailAuth.psd1
    $script:Manifest = Test-ModuleManifest -Path $script:ManifestPath
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'MailAuth manifest' {
    It 'targets Windows PowerShell 5.1 and PowerShell 7' {
        $script:Manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $script:Manifest.CompatiblePSEditions | Should -Contain 'Desktop'
        $script:Manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports an explicit list of cmdlets' {
        $data = Import-PowerShellDataFile -Path $script:ManifestPath
        $data.CmdletsToExport | Should -Not -BeNullOrEmpty
        $data.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
    }

    It 'exports Get-MxRecord with help' {
        Get-Command -Module MailAuth -Name Get-MxRecord | Should -Not -BeNullOrEmpty
        (Get-Help Get-MxRecord).Synopsis | Should -Match 'MX records'
        @((Get-Help Get-MxRecord).examples.example).Count | Should -BeGreaterOrEqual 1
    }

    It 'ships no System.Management.Automation.dll' {
        # The module's files are the manifest and bin/; the PowerShell that imports it brings the engine.
        $bin = Join-Path (Get-Module MailAuth).ModuleBase 'bin'
        Get-ChildItem -Path $bin -Recurse -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
        Get-ChildItem -Path $bin -Recurse -Filter MailAuth.Core.dll | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-MxRecord' {
    It 'lists each exchange of mx.test with its addresses' {
        $rows = @(Get-MxRecord -Domain mx.test -Server $script:Server)
        $rows.Count | Should -Be 2
        $rows[0].Exchange | Should -Be 'mx1.mx.test'
        $rows[0].Status | Should -Be 'Found'
    }

    It 'takes domains by property name, e.g. from Import-Csv' {
        $csv = Join-Path $TestDrive 'domains.csv'
        'Domain', 'mx.test', 'nullmx.mx.test' | Set-Content -LiteralPath $csv
        $rows = Import-Csv -LiteralPath $csv | Get-MxRecord -Server $script:Server
        ($rows | Where-Object Domain -eq 'mx.test').Count | Should -Be 2
        ($rows | Where-Object Domain -eq 'nullmx.mx.test').IsNullMx | Should -BeTrue
    }

    It 'says Error, not NotFound, when the DNS could not answer' {
        (Get-MxRecord broken.test -Server $script:Server -DnsRetryCount 0 -ErrorAction SilentlyContinue).Status | Should -Be 'Error'
    }

    It 'recognizes a null MX' {
        (Get-MxRecord nullmx.mx.test -Server $script:Server).IsNullMx | Should -BeTrue
    }

    It 'reports a bad domain as a non-terminating error and goes on' {
        $rows = @('mx.test', 'bad domain' | Get-MxRecord -Server $script:Server -ErrorVariable failures -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }
}
