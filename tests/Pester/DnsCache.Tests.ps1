# How long DNS answers live in a script: per pipeline, never a failure, never past their TTL.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS servers over tests/data/zones (TestSupport.psm1) and stops them afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $zone = "`$ORIGIN cache.test.`n`$TTL 300`n@ IN SOA ns hostmaster 1 3600 600 86400 300`n@ IN NS ns`nns IN A 127.0.0.1`n" +
            "old IN TXT `"v=spf1 ip4:192.0.2.1 -all`"`n"
    $script:Dns = Start-TestDnsServer -ExtraZone @{ 'cache.test' = $zone }
    $script:Server = $script:Dns.Server
}

AfterAll {
    Stop-TestDnsServer $script:Dns
    if ($script:Late) { Stop-TestDnsServer $script:Late }
}

Describe 'DNS answers across a script' {
    It 'sees a record that appears on the server in the middle of a script at the next call' {
        (Get-SpfRecord appears.cache.test -Server $script:Server).Status | Should -Be 'NotFound'

        Add-TestDnsRecord -Server $script:Dns -Zone cache.test -Record 'appears IN TXT "v=spf1 -all"'

        (Get-SpfRecord appears.cache.test -Server $script:Server).Status | Should -Be 'Found'
    }

    It 'ends a retry loop as soon as a server that was down comes up' {
        $port = Get-FreeLoopbackPort
        $first = Get-SpfRecord good.spf.test -Server "127.0.0.1:$port" -DnsTimeoutSec 1 -DnsRetryCount 0 -ErrorAction SilentlyContinue
        $first.Status | Should -Be 'Error'

        $script:Late = Start-TestDnsServer -Port $port
        $tries = 0
        do {
            $tries++
            $record = Get-SpfRecord good.spf.test -Server "127.0.0.1:$port" -DnsTimeoutSec 1 -DnsRetryCount 0 -ErrorAction SilentlyContinue
        } until ($record.Status -eq 'Found' -or $tries -ge 5)

        $record.Status | Should -Be 'Found'
        $tries | Should -Be 1
    }

    It 'shares one answer between the cmdlets of one pipeline' {
        # The second Get-SpfRecord runs inside the first one's pipeline, after the record changed on the server:
        # it gets the answer the pipeline already has.
        $seen = Get-SpfRecord old.cache.test -Server $script:Server | ForEach-Object {
            $_.Record
            Add-TestDnsRecord -Server $script:Dns -Zone cache.test -Record 'old IN TXT "v=spf1 ip4:198.51.100.1 -all"'
            (Get-SpfRecord old.cache.test -Server $script:Server).Record
        }
        $seen | Should -Be @('v=spf1 ip4:192.0.2.1 -all', 'v=spf1 ip4:192.0.2.1 -all')

        # The next statement is a new pipeline: it asks again and sees both records (now two SPF records).
        (Get-SpfRecord old.cache.test -Server $script:Server).Findings.Code | Should -Contain 'SpfMultipleRecords'
    }
}
