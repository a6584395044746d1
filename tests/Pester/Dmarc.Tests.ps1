# New-DmarcRecord, Get-DmarcRecord, Test-SpfAlignment and Test-DkimAlignment as a user runs them.
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

Describe 'New-DmarcRecord' {
    It 'reproduces the seed record v=DMARC1; p=none;' {
        $r = New-DmarcRecord domainname.com -Policy none -WarningAction SilentlyContinue
        $r.Name | Should -Be '_dmarc.domainname.com'
        $r.Type | Should -Be 'TXT'
        $r.Value | Should -Be 'v=DMARC1; p=none;'
    }

    It 'writes every tag in order' {
        $r = New-DmarcRecord example.com -Policy reject -SubdomainPolicy quarantine -NonExistentSubdomainPolicy reject -DkimAlignment Strict -ReportUri dmarc@example.com -Testing
        $r.Value | Should -Be 'v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; rua=mailto:dmarc@example.com; t=y;'
    }

    It 'reports a bad address as a non-terminating error and goes on' {
        $out = 'a.example', 'b.example' | New-DmarcRecord -Policy none -ReportUri 'not an address' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcInvalidReportUri*'
    }
}

Describe 'Get-DmarcRecord' {
    It 'finds the Organizational Domain record and applies sp=' {
        $r = Get-DmarcRecord exists.own.dmarc.test -Server $script:Server
        $r.Status | Should -Be 'Found'
        $r.RecordDomain | Should -Be 'own.dmarc.test'
        $r.AppliedPolicy | Should -Be 'Quarantine'
    }

    It 'tells a domain without a record from one whose lookup failed' {
        (Get-DmarcRecord nodmarc.ready.test -Server $script:Server).Status | Should -Be 'NotFound'
        (Get-DmarcRecord broken.test -Server $script:Server -DnsRetryCount 0 -ErrorAction SilentlyContinue).Status | Should -Be 'Error'
    }

    It 'takes domains from the pipeline and goes on after a bad one' {
        $r = 'exists.own.dmarc.test', 'bad domain', 'ghost.own.dmarc.test' | Get-DmarcRecord -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Domain | Should -Be @('exists.own.dmarc.test', 'ghost.own.dmarc.test')
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
    }

    It 'applies np= to a name that does not exist' {
        (Get-DmarcRecord ghost.own.dmarc.test -Server $script:Server).AppliedPolicySource | Should -Be 'NonExistentSubdomainPolicy'
    }

    It 'stops at psd=y and uses the Public Suffix Domain policy' {
        $r = Get-DmarcRecord www.shop.psd.dmarc.test -Server $script:Server
        $r.RecordDomain | Should -Be 'psd.dmarc.test'
        $r.OrganizationalDomain | Should -Be 'shop.psd.dmarc.test'
    }

    It 'makes at most 8 queries for a long name' {
        (Get-DmarcRecord a.b.c.d.e.f.g.long.dmarc.test -Server $script:Server).Queries.Count | Should -Be 8
    }

    It 'reports SERVFAIL in the middle of the walk as Error' {
        (Get-DmarcRecord ok.sf.dmarc.test -Server $script:Server -DnsRetryCount 0 -ErrorAction SilentlyContinue).Status | Should -Be 'Error'
    }
}

Describe 'Test-SpfAlignment' {
    It 'aligns a MAIL FROM subdomain in relaxed mode only' {
        (Test-SpfAlignment -HeaderFrom a@exists.own.dmarc.test -MailFrom b@mail.own.dmarc.test -Server $script:Server).Aligned | Should -BeTrue
        (Test-SpfAlignment -HeaderFrom a@exists.own.dmarc.test -MailFrom b@mail.own.dmarc.test -Mode Strict -Server $script:Server).Aligned | Should -BeFalse
    }

    It 'takes the SPF result of Test-Spf from the pipeline' {
        $r = Test-Spf -IPAddress 192.0.2.10 -MailFrom bounce@good.spf.test -Server $script:Server |
            Test-SpfAlignment -HeaderFrom news@good.spf.test -Server $script:Server
        $r.Aligned | Should -BeTrue
    }
}

Describe 'Test-DkimAlignment' {
    It 'does not align amazonses.com with your domain' {
        (Test-DkimAlignment -HeaderFrom a@own.dmarc.test -SigningDomain amazonses.com -Server $script:Server).Aligned | Should -BeFalse
    }

    It 'aligns a signing subdomain in relaxed mode and not in strict mode' {
        (Test-DkimAlignment -HeaderFrom a@exists.own.dmarc.test -SigningDomain mail.own.dmarc.test -Server $script:Server).Aligned | Should -BeTrue
        (Test-DkimAlignment -HeaderFrom a@exists.own.dmarc.test -SigningDomain mail.own.dmarc.test -Mode Strict -Server $script:Server).Aligned | Should -BeFalse
    }

    It 'takes pairs from a CSV by property name' {
        $csv = Join-Path $TestDrive 'pairs.csv'
        'HeaderFrom,SigningDomain', 'a@own.dmarc.test,own.dmarc.test', 'a@own.dmarc.test,amazonses.com' | Set-Content -LiteralPath $csv
        (Import-Csv -LiteralPath $csv | Test-DkimAlignment -Server $script:Server).Aligned | Should -Be @($true, $false)
    }
}
