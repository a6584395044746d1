# Get-AuthenticationResult and ConvertFrom-AuthenticationResult as a user runs them.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:messages = Get-TestDataPath authres messages
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'ConvertFrom-AuthenticationResult' {
    It 'parses a Gmail header into one object per method' {
        $header = 'Authentication-Results: mx.google.com; dkim=pass header.i=@mail.kktkht94.work header.s=s1 header.b=YSMfOuYj; spf=pass smtp.mailfrom=b@admin.mail.kktkht94.work; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=mail.kktkht94.work'
        $results = @(ConvertFrom-AuthenticationResult $header)
        $results.Method | Should -Be @('dkim', 'spf', 'dmarc')
        $results[0].Properties['header.i'] | Should -Be '@mail.kktkht94.work'
        $results[2].Comment | Should -Be 'p=NONE sp=NONE dis=NONE'
        $results | ForEach-Object { $_.AuthServId | Should -Be 'mx.google.com' }
    }

    It 'reads comments anywhere, versions and none' {
        $r = @(ConvertFrom-AuthenticationResult '(c) example.org (x (y)) 1; none (nothing checked)')
        $r[0].Method | Should -Be 'none'
        $r[0].Version | Should -Be 1
    }

    It 'writes a non-terminating error with the position for malformed text' {
        $out = @('example.com spf=pass', 'example.com; spf=pass' | ConvertFrom-AuthenticationResult -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationResultsSyntaxError,*'
        $errs[0].Exception.Position | Should -Be 12
    }
}

Describe 'Get-AuthenticationResult' {
    It 'reads every results header of a message in order' {
        $r = @(Get-AuthenticationResult (Join-Path $script:messages 'gmail-received.eml') -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 9
        $r[0].Source | Should -Be 'ARC-Authentication-Results'
        ($r | Where-Object Source -eq 'Received-SPF').Properties['client-ip'] | Should -Be '23.251.234.9'
    }

    It 'reports a missing file and still reads the others' {
        $r = @(Get-AuthenticationResult -LiteralPath (Join-Path $script:messages 'missing.eml'), (Join-Path $script:messages 'gmail-received.eml') -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 9
        $errs.FullyQualifiedErrorId | Should -Contain 'MessageFileNotFound,MailAuth.PowerShell.Commands.GetAuthenticationResultCommand'
    }

    It 'takes files from Get-ChildItem' {
        $r = @(Get-ChildItem $script:messages -Filter *.eml | Get-AuthenticationResult -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 13 # gmail-received.eml 9, microsoft365.eml 4
    }
}

Describe 'Test-MailAuthentication' {
    BeforeAll {
        $script:Letter = Join-Path $TestDrive 'letter.eml'
        [IO.File]::WriteAllBytes($script:Letter, (New-SignedTestMessage news.eml -Domain news.arc.test -Selector s1))
    }

    It 'passes SPF, DKIM and DMARC for a letter signed and sent as its domain publishes' {
        $r = Test-MailAuthentication $script:Letter -ClientIP 192.0.2.25 -MailFrom bounce@news.arc.test -Server $script:Server
        $r.SpfResult | Should -Be 'Pass'
        $r.Dkim.Result | Should -Be 'Pass'
        $r.SpfAligned | Should -BeTrue
        $r.DkimAligned | Should -BeTrue
        $r.DmarcResult | Should -Be 'Pass'
        $r.AuthenticationResultsHeader | Should -Match 'dmarc=pass'
    }

    It 'says a message file is too large to check, without reading it, and checks the next one' {
        $big = Join-Path $TestDrive 'huge.eml'
        $file = [IO.File]::Create($big)
        $file.SetLength(151MB)   # sparse: nothing is written, the size is what is refused
        $file.Dispose()
        $r = Test-MailAuthentication $big, $script:Letter -ClientIP 192.0.2.25 -MailFrom bounce@news.arc.test -Server $script:Server -ErrorVariable failed -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $r.DmarcResult | Should -Be 'Pass'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MessageFileTooLarge,*'
        $failed[0].Exception.Message | Should -Match 'not read'
    }

    It 'fails DMARC for the same letter from an address its SPF does not authorize, after a relay changed it' {
        $changed = Join-Path $TestDrive 'relayed.eml'
        [IO.File]::WriteAllText($changed, [IO.File]::ReadAllText($script:Letter) + "Footer added by a relay.`r`n")
        $r = Test-MailAuthentication $changed -ClientIP 198.51.100.7 -MailFrom bounce@news.arc.test -Server $script:Server
        $r.SpfResult | Should -Be 'Fail'
        $r.Dkim.Result | Should -Be 'Fail'
        $r.DmarcResult | Should -Be 'Fail'
        $r.Disposition | Should -Be 'Reject'
    }

    It 'reports DMARC none, not an error, for a message without From' {
        $file = Join-Path $TestDrive 'nofrom.eml'
        Set-Content -LiteralPath $file -Value "To: someone@gmail.com`r`nSubject: x`r`n`r`nBody." -NoNewline
        $r = Test-MailAuthentication $file -ClientIP 23.251.234.8 -MailFrom bounce@ap-northeast-1.amazonses.com -Server $script:Server
        $r.DmarcResult | Should -Be 'None'
        $r.HeaderFromStatus | Should -Be 'Missing'
    }

    It 'rejects a client address that is not an IP address' {
        $file = Join-Path $TestDrive 'x.eml'
        Set-Content -LiteralPath $file -Value "From: a@example.com`r`n`r`nBody." -NoNewline
        { Test-MailAuthentication $file -ClientIP 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidClientIP*'
    }

    It 'composes a header that ConvertFrom-AuthenticationResult reads back' {
        $file = Join-Path $TestDrive 'plain.eml'
        Set-Content -LiteralPath $file -Value "From: a@mail.kktkht94.work`r`nSubject: x`r`n`r`nBody." -NoNewline
        $r = @(Test-MailAuthentication $file -ClientIP 23.251.234.8 -MailFrom b@spf.mail.kktkht94.work -Server $script:Server | ConvertFrom-AuthenticationResult)
        ($r | Where-Object Method -eq dmarc).Result | Should -Be 'pass'
    }
}
