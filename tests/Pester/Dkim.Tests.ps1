# Get-DkimRecord, Test-DkimSignature and Test-ArcChain as a user runs them.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Messages = Get-TestDataPath dkim messages
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'Get-DkimRecord' {
    It 'follows an Amazon SES style CNAME to the key' {
        $r = Get-DkimRecord dkim.test abcdefghijklmnopqrstuvwxyz234567 -Server $script:Server
        $r.Status | Should -Be 'Found'
        $r.CnameTarget | Should -Be 'abcdefghijklmnopqrstuvwxyz234567.dkim.amazonses.com'
        $r.KeySize | Should -Be 2048
        $r.Version | Should -BeNullOrEmpty
    }

    It 'flags weak, revoked and testing keys' {
        (Get-DkimRecord dkim.test rsa512 -Server $script:Server).Findings.Code | Should -Contain 'DkimKeyTooShort'
        (Get-DkimRecord dkim.test rsa1024 -Server $script:Server).Findings.Code | Should -Contain 'DkimKeyWeak'
        (Get-DkimRecord dkim.test revoked -Server $script:Server).Revoked | Should -BeTrue
        (Get-DkimRecord dkim.test testing -Server $script:Server).Flags | Should -Contain 'y'
    }

    It 'tells a missing key from a failed lookup' {
        (Get-DkimRecord dkim.test nosuchselector -Server $script:Server).Status | Should -Be 'NotFound'
        (Get-DkimRecord broken.test sel -Server $script:Server -DnsRetryCount 0 -ErrorAction SilentlyContinue).Status | Should -Be 'Error'
    }

    It 'writes a non-terminating error for a bad selector and goes on' {
        $r = Get-DkimRecord dkim.test 'bad selector', rsa2048 -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Selector | Should -Be 'rsa2048'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDkimSelector*'
    }
}

Describe 'Test-DkimSignature' {
    BeforeAll {
        $script:Signed = Join-Path $TestDrive 'signed.eml'
        [IO.File]::WriteAllBytes($script:Signed, (New-SignedTestMessage plain.eml -Domain dkim.test -Selector rsa2048))
    }

    It 'passes a message really signed by dkimpy, and names the signer' {
        $r = Test-DkimSignature $script:Signed -Server $script:Server
        $r.Result | Should -Be 'Pass'
        $r.Domain | Should -Be 'dkim.test'
        $r.Selector | Should -Be 'rsa2048'
        $r.KeySize | Should -Be 2048
    }

    It 'fails the same message once its body was changed in transit' {
        $changed = Join-Path $TestDrive 'changed.eml'
        [IO.File]::WriteAllText($changed, [IO.File]::ReadAllText($script:Signed) + "Added by a relay.`r`n")
        $r = Test-DkimSignature $changed -Server $script:Server
        $r.Result | Should -Be 'Fail'
        $r.BodyHashMatches | Should -BeFalse
        $r.Reason | Should -Match 'body'
    }

    It 'checks every file Get-ChildItem gives it' {
        $r = Get-ChildItem -LiteralPath $TestDrive -Filter *.eml | Test-DkimSignature -Server $script:Server
        @($r).Count | Should -Be @(Get-ChildItem -LiteralPath $TestDrive -Filter *.eml).Count
    }

    It 'says None for an unsigned message' {
        (Test-DkimSignature (Join-Path $Messages 'plain.eml') -Server $script:Server).Result | Should -Be 'None'
    }

    It 'reports a missing file as an error and still checks the others' {
        $r = Test-DkimSignature (Join-Path $Messages 'nothere.eml'), (Join-Path $Messages 'plain.eml') -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'MessageFileNotFound*'
    }

    It 'gives a PermError, not an exception, for a malformed signature' {
        $text = "DKIM-Signature: v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from; bh=!!; b=AAAA`r`nFrom: a@dkim.test`r`n`r`nbody`r`n"
        $r = Test-DkimSignature -Message $text -Server $script:Server
        $r.Result | Should -Be 'PermError'
        $r.Reason | Should -Match 'bh='
    }
}

Describe 'Test-ArcChain' {
    BeforeAll {
        # The forwarded letter of arc.test.zone: news.arc.test signs, the list adds a footer (breaking that signature) and seals.
        $original = New-SignedTestMessage news.eml -Domain news.arc.test -Selector s1
        $footer = [Text.Encoding]::ASCII.GetBytes("-- `r`nmembers@lists.arc.test: unsubscribe at lists.arc.test`r`n")
        $script:Sealed = Join-Path $TestDrive 'sealed.eml'
        [IO.File]::WriteAllBytes($script:Sealed, (Add-TestArcSet -Message ($original + $footer) -Sealer lists.arc.test -Server $script:Server `
            -Results 'dkim=pass header.d=news.arc.test; spf=pass smtp.mailfrom=news.arc.test; dmarc=pass header.from=news.arc.test'))
    }

    It 'says None for a message without ARC headers' {
        (Test-ArcChain (Join-Path $Messages 'plain.eml') -Server $script:Server).Result | Should -Be 'None'
    }

    It 'passes a chain really sealed by a mailing list, and names the sealer' {
        $r = Test-ArcChain $script:Sealed -Server $script:Server
        $r.Result | Should -Be 'Pass'
        $r.InstanceCount | Should -Be 1
        $r.SealerDomains | Should -Be 'lists.arc.test'
    }

    It 'fails the chain once the message was changed after the last seal' {
        $changed = Join-Path $TestDrive 'changed-after-seal.eml'
        [IO.File]::WriteAllText($changed, [IO.File]::ReadAllText($script:Sealed) + "Changed after sealing.`r`n")
        (Test-ArcChain $changed -Server $script:Server).Result | Should -Be 'Fail'
    }
}
