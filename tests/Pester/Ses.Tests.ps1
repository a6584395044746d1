# The SES cmdlets as a user runs them: record builders, -WhatIf, and Test-SesDomainSetup against live DNS.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Tokens = 'eogp72tvvmnugysm4vjttzghjnmzww36', 'zh4gjftm6etwoq6afzugpky45synznly', '224i4yxa5dv7c2xz3womw6peuasteono'
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'SES record builders' {
    It 'reproduces the seed 002 table' {
        $records = @(New-SesDkimRecord domainname.com -Token aaa, bbb, ccc -Region us-east-1) +
                   @(New-SesMailFromConfig domainname.com mail.domainname.com -Region us-east-1 -WarningAction SilentlyContinue) +
                   @(New-DmarcRecord domainname.com -Policy none -WarningAction SilentlyContinue)
        $records.Count | Should -Be 6
        $records[0].Value | Should -Be 'aaa.dkim.amazonses.com'
        $records[3].Type | Should -Be 'MX'
        $records[3].Value | Should -Be 'feedback-smtp.us-east-1.amazonses.com'
        $records[4].Value | Should -Be 'v=spf1 include:amazonses.com ~all'
        $records[5].Value | Should -Be 'v=DMARC1; p=none;'
    }

    It 'uses the regional hosted zone where SES has one' {
        (New-SesDkimRecord example.com -Token aaa, bbb, ccc -Region ap-northeast-3)[0].Value | Should -Be 'aaa.dkim.ap-northeast-3.amazonses.com'
    }

    It 'rejects a MAIL FROM domain outside the identity with a stable error id' {
        New-SesMailFromConfig example.com mail.example.org -Region us-east-1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesMailFromOutsideIdentity,*'
    }

    It 'rejects an unknown region' {
        New-SesDkimRecord example.com -Token aaa, bbb, ccc -Region moon-1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesUnknownRegion,*'
    }

    It 'writes zone file lines and a Route 53 change batch' {
        $lines = Get-SesDnsRecord example.com -Token aaa, bbb, ccc -Region us-east-1 -MailFromDomain mail.example.com | ConvertTo-DnsZoneFile
        $lines | Should -Contain "mail.example.com.`t3600`tIN`tTXT`t`"v=spf1 include:amazonses.com ~all`""
        $batch = Get-SesDnsRecord example.com -Token aaa, bbb, ccc -Region us-east-1 | ConvertTo-Route53ChangeBatch | ConvertFrom-Json
        $batch.Changes.Count | Should -Be 4
    }
}

Describe 'Set-SesMailFromDomain' {
    It 'sends nothing under -WhatIf' {
        # An unreachable endpoint: -WhatIf must not even try it.
        { Set-SesMailFromDomain example.com mail.example.com -Region us-east-1 -EndpointUrl http://127.0.0.1:9 -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Test-SesDomainSetup' {
    It 'finds seed 003: SPF passes without alignment, DMARC rests on DKIM' {
        $v = Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token $Tokens -Server $script:Server -VerdictOnly
        $v.SpfPass | Should -BeTrue
        $v.SpfAligned | Should -BeFalse
        $v.DmarcResult | Should -Be 'Pass'
        $v.Findings.Code | Should -Contain 'SesDmarcRestsOnDkim'
    }

    It 'flags two MX records on the MAIL FROM domain' {
        $rows = Test-SesDomainSetup twomx.ses-broken.test -Region us-east-1 -Token $Tokens -MailFromDomain mail.twomx.ses-broken.test -Server $script:Server |
            Where-Object { $_.Status -and $_.Status -ne 'Ok' }
        $rows.Type | Should -Be 'MX'
        $rows.Status | Should -Be 'Conflict'
    }
}
