#Requires -Modules Pester
# Pester 5 tests for the DKIM and ARC cmdlets, for people with pwsh and Pester. The xunit suite parses this file.
# They need a DNS server that serves tests/data/zones/dkim.test.zone and dkim.amazonses.com.zone (e.g. the
# Knot instance the xunit fixture starts); give it as $env:MAILAUTH_TEST_DNS (host:port).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../MailAuth.psd1') -Force
    $script:Dns = $env:MAILAUTH_TEST_DNS
    $script:Messages = Join-Path $PSScriptRoot '../data/dkim/messages'
}

Describe 'Get-DkimRecord' -Skip:(-not $env:MAILAUTH_TEST_DNS) {
    It 'follows an Amazon SES style CNAME to the key' {
        $r = Get-DkimRecord dkim.test abcdefghijklmnopqrstuvwxyz234567 -Server $Dns
        $r.Status | Should -Be 'Found'
        $r.CnameTarget | Should -Be 'abcdefghijklmnopqrstuvwxyz234567.dkim.amazonses.com'
        $r.KeySize | Should -Be 2048
        $r.Version | Should -BeNullOrEmpty
    }

    It 'flags weak, revoked and testing keys' {
        (Get-DkimRecord dkim.test rsa512 -Server $Dns).Findings.Code | Should -Contain 'DkimKeyTooShort'
        (Get-DkimRecord dkim.test rsa1024 -Server $Dns).Findings.Code | Should -Contain 'DkimKeyWeak'
        (Get-DkimRecord dkim.test revoked -Server $Dns).Revoked | Should -BeTrue
        (Get-DkimRecord dkim.test testing -Server $Dns).Flags | Should -Contain 'y'
    }

    It 'tells a missing key from a failed lookup' {
        (Get-DkimRecord dkim.test nosuchselector -Server $Dns).Status | Should -Be 'NotFound'
        (Get-DkimRecord broken.test sel -Server $Dns -DnsRetryCount 0).Status | Should -Be 'Error'
    }

    It 'writes a non-terminating error for a bad selector and goes on' {
        $r = Get-DkimRecord dkim.test 'bad selector', rsa2048 -Server $Dns -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Selector | Should -Be 'rsa2048'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDkimSelector*'
    }
}

Describe 'Test-DkimSignature' -Skip:(-not $env:MAILAUTH_TEST_DNS) {
    It 'says None for an unsigned message' {
        (Test-DkimSignature (Join-Path $Messages 'plain.eml') -Server $Dns).Result | Should -Be 'None'
    }

    It 'reports a missing file as an error and still checks the others' {
        $r = Test-DkimSignature (Join-Path $Messages 'nothere.eml'), (Join-Path $Messages 'plain.eml') -Server $Dns -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MessageFileNotFound*'
    }

    It 'gives a PermError, not an exception, for a malformed signature' {
        $text = "DKIM-Signature: v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from; bh=!!; b=AAAA`r`nFrom: a@dkim.test`r`n`r`nbody`r`n"
        $r = Test-DkimSignature -Message $text -Server $Dns
        $r.Result | Should -Be 'PermError'
        $r.Reason | Should -Match 'bh='
    }
}

Describe 'Test-ArcChain' -Skip:(-not $env:MAILAUTH_TEST_DNS) {
    It 'says None for a message without ARC headers' {
        (Test-ArcChain (Join-Path $Messages 'plain.eml') -Server $Dns).Result | Should -Be 'None'
    }
}
