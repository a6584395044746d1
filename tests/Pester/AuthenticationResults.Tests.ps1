#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-AuthenticationResult and ConvertFrom-AuthenticationResult, for people with pwsh and Pester:
#   Invoke-Pester ./tests/Pester/AuthenticationResults.Tests.ps1

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'MailAuth.psd1') -Force
    $messages = Join-Path $root 'tests/data/authres/messages'
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
        $r = @(Get-AuthenticationResult (Join-Path $messages 'gmail-received.eml') -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 9
        $r[0].Source | Should -Be 'ARC-Authentication-Results'
        ($r | Where-Object Source -eq 'Received-SPF').Properties['client-ip'] | Should -Be '23.251.234.9'
    }

    It 'reports a missing file and still reads the others' {
        $r = @(Get-AuthenticationResult -LiteralPath (Join-Path $messages 'missing.eml'), (Join-Path $messages 'gmail-received.eml') -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 9
        $errs.FullyQualifiedErrorId | Should -Contain 'MessageFileNotFound,MailAuth.PowerShell.Commands.GetAuthenticationResultCommand'
    }

    It 'takes files from Get-ChildItem' {
        $r = @(Get-ChildItem $messages -Filter *.eml | Get-AuthenticationResult -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 9
    }
}
