#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    The module as a user gets it: the manifest, the help, and Get-MxRecord against a DNS server.
    Run from the repository root after building:
        $env:MAILAUTH_TEST_DNS_SERVER = '127.0.0.1:5353'   # a server answering for the test zones (tests/data/zones)
        Invoke-Pester ./tests/Pester
    Without MAILAUTH_TEST_DNS_SERVER the DNS tests are skipped.
#>

BeforeDiscovery {
    $script:DnsServer = $env:MAILAUTH_TEST_DNS_SERVER
}

BeforeAll {
    $script:ManifestPath = Join-Path $PSScriptRoot '../../MailAuth.psd1'
    Import-Module $script:ManifestPath -Force -ErrorAction Stop
    $script:Manifest = Test-ModuleManifest -Path $script:ManifestPath
    $script:DnsServer = $env:MAILAUTH_TEST_DNS_SERVER
}

AfterAll {
    Remove-Module MailAuth -ErrorAction SilentlyContinue
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
        $moduleBase = Split-Path -Parent (Get-Module MailAuth).Path
        Get-ChildItem -Path $moduleBase -Recurse -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
    }
}

Describe 'Get-MxRecord' -Skip:(-not $script:DnsServer) {
    It 'lists each exchange of mx.test with its addresses' {
        $rows = @(Get-MxRecord -Domain mx.test -Server $script:DnsServer)
        $rows.Count | Should -Be 2
        $rows[0].Exchange | Should -Be 'mx1.mx.test'
        $rows[0].Status | Should -Be 'Found'
    }

    It 'recognizes a null MX' {
        (Get-MxRecord nullmx.mx.test -Server $script:DnsServer).IsNullMx | Should -BeTrue
    }

    It 'reports a bad domain as a non-terminating error and goes on' {
        $rows = @('mx.test', 'bad domain' | Get-MxRecord -Server $script:DnsServer -ErrorVariable failures -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }
}
