# Get-SpfRecord and Test-Spf as a user runs them.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}


Describe 'Get-SpfRecord' {
    It 'returns the record, its terms and the qualifier of all' {
        $r = Get-SpfRecord good.spf.test -Server $script:Server
        $r.Status | Should -Be 'Found'
        $r.All | Should -Be 'Fail'
        $r.Terms.Name | Should -Be @('ip4', 'a', 'mx', 'include', 'all')
    }

    It 'expands the tree and counts a diamond on each branch without calling it a loop' {
        $r = Get-SpfRecord diamond.spf.test -Expand -Server $script:Server
        $r.DnsLookupCount | Should -Be 4
        $r.Tree.Flatten() | Where-Object IsLoop | Should -BeNullOrEmpty
        $r.AuthorizedNetworks | ForEach-Object { $_.ToString() } | Should -Be @('203.0.113.0/24')
    }

    It 'reports <Code> for <Domain>' -ForEach @(
        @{ Domain = 'nospf.spf.test'; Code = 'SpfNotFound' }
        @{ Domain = 'multiple.spf.test'; Code = 'SpfMultipleRecords' }
        @{ Domain = 'syntax.spf.test'; Code = 'SpfSyntaxError' }
        @{ Domain = 'ptr.spf.test'; Code = 'SpfPtrMechanism' }
        @{ Domain = 'passall.spf.test'; Code = 'SpfPassAll' }
        @{ Domain = 'neutralall.spf.test'; Code = 'SpfNeutralAll' }
        @{ Domain = 'noall.spf.test'; Code = 'SpfNoAll' }
        @{ Domain = 'toomany.spf.test'; Code = 'SpfTooManyLookups' }
        @{ Domain = 'voids.spf.test'; Code = 'SpfTooManyVoidLookups' }
        @{ Domain = 'loop.spf.test'; Code = 'SpfIncludeLoop' }
        @{ Domain = 'redirectall.spf.test'; Code = 'SpfRedirectIgnored' }
        @{ Domain = 'deprecated.spf.test'; Code = 'SpfDeprecatedRecordType' }
        @{ Domain = 'manymx.spf.test'; Code = 'SpfTooManyMxNames' }
    ) {
        (Get-SpfRecord $Domain -Expand -Server $script:Server).Findings.Code | Should -Contain $Code
    }

    It 'writes a non-terminating InvalidDomainName error and goes on' {
        $out = 'good.spf.test', 'bad domain' | Get-SpfRecord -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }
}

Describe 'Test-Spf' {
    It 'passes an authorized address and fails another' {
        $r = Test-Spf -IPAddress 192.0.2.10, 203.0.113.5 -MailFrom someone@good.spf.test -Server $script:Server
        $r.Result | Should -Be @('Pass', 'Fail')
        $r[0].MatchedTerm | Should -Be 'ip4:192.0.2.0/25'
    }

    It 'binds IPAddress, MailFrom and Helo by property name' {
        $r = [pscustomobject]@{ IPAddress = '192.0.2.25'; MailFrom = ''; Helo = 'mail.spf.test' } | Test-Spf -Server $script:Server
        $r.Result | Should -Be 'Pass'
        $r.MailFrom | Should -Be 'postmaster@mail.spf.test'
    }

    It 'expands the explanation of a Fail' {
        (Test-Spf 192.0.2.11 -MailFrom a@exp.spf.test -Server $script:Server).Explanation | Should -Be "192.0.2.11 is not one of exp.spf.test's senders"
    }

    It 'reports TempError, never None, when an include cannot be looked up' {
        (Test-Spf 192.0.2.1 -MailFrom x@includebroken.spf.test -Server $script:Server -DnsRetryCount 0).Result | Should -Be 'TempError'
    }

    It 'writes a non-terminating InvalidIPAddress error for a bad address' {
        $out = '192.0.2.10', 'not-an-ip' | Test-Spf -MailFrom x@good.spf.test -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIPAddress,*'
    }
}
