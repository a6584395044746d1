#Requires -Modules Pester
# Pester 5 tests for Get-SpfRecord and Test-Spf. They need pwsh, Pester 5, knotd (Debian's knot package) and a
# built module (dotnet build src/MailAuth.PowerShell). A Knot server on a free loopback port serves
# tests/data/zones/spf.test.zone and root.zone for the duration of the file.

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'MailAuth.psd1') -Force

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("mailauth-pester-spf-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $zones = Join-Path $repo 'tests/data/zones'
    @"
server:
    rundir: "$script:work"
    listen: 127.0.0.1@$script:port
database:
    storage: "$script:work"
template:
  - id: default
    storage: "$zones"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: spf.test
  - domain: .
    file: "root.zone"
"@ | Set-Content -Path (Join-Path $script:work 'knot.conf')
    $script:knot = Start-Process -FilePath '/usr/sbin/knotd' -ArgumentList '-c', (Join-Path $script:work 'knot.conf') -PassThru
    $script:server = "127.0.0.1:$script:port"
    $deadline = (Get-Date).AddSeconds(20)
    while ((Get-SpfRecord good.spf.test -Server $script:server -DnsTimeoutSec 1 -DnsRetryCount 0).Status -ne 'Found') {
        if ((Get-Date) -gt $deadline) { throw "knotd did not answer on $script:server" }
        Start-Sleep -Milliseconds 200
    }
}

AfterAll {
    if ($script:knot -and -not $script:knot.HasExited) { Stop-Process -Id $script:knot.Id }
    Remove-Item -Recurse -Force $script:work -ErrorAction SilentlyContinue
}

Describe 'Get-SpfRecord' {
    It 'returns the record, its terms and the qualifier of all' {
        $r = Get-SpfRecord good.spf.test -Server $script:server
        $r.Status | Should -Be 'Found'
        $r.All | Should -Be 'Fail'
        $r.Terms.Name | Should -Be @('ip4', 'a', 'mx', 'include', 'all')
    }

    It 'expands the tree and counts a diamond on each branch without calling it a loop' {
        $r = Get-SpfRecord diamond.spf.test -Expand -Server $script:server
        $r.DnsLookupCount | Should -Be 4
        $r.Tree.Flatten() | Where-Object IsLoop | Should -BeNullOrEmpty
        $r.AuthorizedNetworks.ForEach({ $_.ToString() }) | Should -Be @('203.0.113.0/24')
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
        (Get-SpfRecord $Domain -Expand -Server $script:server).Findings.Code | Should -Contain $Code
    }

    It 'writes a non-terminating InvalidDomainName error and goes on' {
        $out = 'good.spf.test', 'bad domain' | Get-SpfRecord -Server $script:server -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }
}

Describe 'Test-Spf' {
    It 'passes an authorized address and fails another' {
        $r = Test-Spf -IPAddress 192.0.2.10, 203.0.113.5 -MailFrom someone@good.spf.test -Server $script:server
        $r.Result | Should -Be @('Pass', 'Fail')
        $r[0].MatchedTerm | Should -Be 'ip4:192.0.2.0/25'
    }

    It 'binds IPAddress, MailFrom and Helo by property name' {
        $r = [pscustomobject]@{ IPAddress = '192.0.2.25'; MailFrom = ''; Helo = 'mail.spf.test' } | Test-Spf -Server $script:server
        $r.Result | Should -Be 'Pass'
        $r.MailFrom | Should -Be 'postmaster@mail.spf.test'
    }

    It 'expands the explanation of a Fail' {
        (Test-Spf 192.0.2.11 -MailFrom a@exp.spf.test -Server $script:server).Explanation | Should -Be "192.0.2.11 is not one of exp.spf.test's senders"
    }

    It 'reports TempError, never None, when an include cannot be looked up' {
        (Test-Spf 192.0.2.1 -MailFrom x@includebroken.spf.test -Server $script:server -DnsRetryCount 0).Result | Should -Be 'TempError'
    }

    It 'writes a non-terminating InvalidIPAddress error for a bad address' {
        $out = '192.0.2.10', 'not-an-ip' | Test-Spf -MailFrom x@good.spf.test -Server $script:server -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIPAddress,*'
    }
}
