# What people see and export of MailAuth's objects in real pwsh: every output type's views at 80 and 120
# columns, Export-Csv and ConvertTo-Json, read-only collections, one filter for what is wrong, the pipeline
# forms of Test-MailAuthentication, tab completion, lenient Authentication-Results, help and errors.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.
# SesEmailIdentity, which needs the SES stand-in, has its views and exports tested in Ses.Tests.ps1: one process
# keeps reading the first AWS credentials file it was pointed at.

BeforeDiscovery {
    # One case per output type: the pipeline that makes it, the column labels its table (or the labels its list)
    # must show at 80 columns, and values that must appear whole at 80 and 120 columns.
    $script:OutputCases = @(
        @{ Type = 'SpfRecordResult'; Make = { Get-SpfRecord multiple.spf.test, good.spf.test -Server $Server }
            Labels = 'Status', 'Domain', 'All', 'Findings'; Whole = 'multiple.spf.test', 'Error: SpfMultipleRecords' }
        @{ Type = 'SpfCheckResult'; Make = { Test-Spf 2001:db8::1, 192.0.2.10 good.spf.test -Server $Server }
            Labels = 'Result', 'IPAddress', 'Domain', 'MatchedTerm'; Whole = '2001:db8::1', 'ip4:192.0.2.0/25' }
        @{ Type = 'SpfLookupNode'; Make = { (Get-SpfRecord loop.spf.test -Expand -Server $Server).Tree.Flatten() }
            Labels = 'Tree', 'Status', 'Lookups', 'Total', 'Note'; Whole = 'include:loop2.spf.test', 'LOOP' }
        @{ Type = 'MxRecordResult'; Make = { Get-MxRecord mx.test, alias.mx.test -Server $Server }
            Labels = 'Status', 'Findings', 'Preference', 'Exchange'; Whole = 'mxalias.mx.test', 'Warning: MxTargetIsAlias' }
        @{ Type = 'DmarcRecordResult'; Make = { Get-DmarcRecord exists.own.dmarc.test, nodmarc.ready.test -Server $Server }
            Labels = 'Status', 'Domain', 'Policy', 'Findings'; Whole = 'exists.own.dmarc.test', 'Quarantine (sp)', 'Warning: DmarcNotFound' }
        @{ Type = 'AlignmentResult'; Make = { Test-SpfAlignment -HeaderFrom a@exists.own.dmarc.test -MailFrom b@mail.own.dmarc.test -Server $Server }
            Labels = 'Aligned', 'Kind', 'Mode', 'HeaderFromDomain', 'AuthenticatedDomain'; Whole = 'exists.own.dmarc.test', 'mail.own.dmarc.test' }
        @{ Type = 'DkimRecordResult'; Make = { Get-DkimRecord weakkey.ready.test s1024, s512 -Server $Server }
            Labels = 'Status', 'Findings', 'KeySize', 'KeyType', 'Selector'; Whole = 'Error: DkimKeyTooShort', 'Warning: DkimKeyWeak' }
        @{ Type = 'DkimSignatureResult'; Make = { Test-DkimSignature -LiteralPath $Signed -Server $Server }
            Labels = 'Result', 'Domain', 'Selector', 'BodyHash', 'Signature'; Whole = 'dkim.test', 'rsa2048' }
        @{ Type = 'ArcChainResult'; Make = { Test-ArcChain -LiteralPath $Sealed -Server $Server }
            Labels = 'Result', 'Sets', 'OldestPass', 'Source'; Whole = 'Pass' }
        @{ Type = 'MessageAuthenticationResult'; Make = { Test-MailAuthentication -LiteralPath $Signed -ClientIP 192.0.2.10 -MailFrom a@good.spf.test -Server $Server }
            Labels = 'Dmarc', 'Disposition', 'Spf', 'Dkim', 'Arc', 'Aligned', 'HeaderFrom'; Whole = 'dkim.test' }
        @{ Type = 'AuthenticationResultEntry'; Make = { Get-AuthenticationResult -LiteralPath (Get-TestDataPath authres messages microsoft365.eml) }
            Labels = '#', 'Method', 'Result', 'AuthServId', 'Source'; Whole = 'compauth', '(none)' }
        @{ Type = 'DnsRecord'; Make = { New-SesMailFromConfig example.com -MailFromDomain mail.example.com -Region eu-west-1 -WarningAction SilentlyContinue }
            Labels = 'Type', 'Priority', 'Name', 'Value'; Whole = 'mail.example.com' }
        @{ Type = 'SesMailFromConfig'; Make = { New-SesMailFromConfig example.com -MailFromDomain mail.example.com -Region eu-west-1 -AsConfiguration -WarningAction SilentlyContinue }
            Labels = 'Identity', 'MailFromDomain', 'Region', 'Records'; Whole = 'mail.example.com' }
        @{ Type = 'SesRecordCheck and SesDomainVerdict'; Make = { Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token $Tokens -Server $Server }
            Labels = 'Status', 'Type', 'Purpose', 'Name'; Whole = 'Verdict for nomailfrom.ses-ok.test', 'Status      : Warning', 'SesSpfNotAligned' }
        @{ Type = 'DmarcAggregateReport'; Make = { Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') }
            Labels = 'Begin (UTC)', 'Messages', 'Rows', 'Policy', 'OrgName', 'PolicyDomain'; Whole = 'google.com', 'example.com', '216' }
        @{ Type = 'DmarcReportRow'; Make = { Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') -Expand }
            Labels = 'Count', 'Disposition', 'DMARC', 'DKIM', 'SPF', 'SourceIP', 'HeaderFrom'; Whole = '203.0.113.30' }
        @{ Type = 'DmarcSourceSummary'; Make = { Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') | Get-DmarcReportSummary }
            Labels = 'SourceIP', 'Messages', 'DmarcFail', 'Both', 'DkimOnly', 'SpfOnly', 'Neither'; Whole = '203.0.113.30' }
        @{ Type = 'MailDomainCheck'; Make = { Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $Server }
            Labels = 'Status', 'Check', 'Detail'; Whole = 'Dmarc.Present', 'Microsoft.Authentication', '_dmarc.nodmarc.ready.test' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Tokens = 'eogp72tvvmnugysm4vjttzghjnmzww36', 'zh4gjftm6etwoq6afzugpky45synznly', '224i4yxa5dv7c2xz3womw6peuasteono'

    $script:Signed = Join-Path $TestDrive 'signed.eml'
    [IO.File]::WriteAllBytes($script:Signed, (New-SignedTestMessage plain.eml -Domain dkim.test -Selector rsa2048))
    $script:Sealed = Join-Path $TestDrive 'sealed.eml'
    $original = New-SignedTestMessage news.eml -Domain news.arc.test -Selector s1
    [IO.File]::WriteAllBytes($script:Sealed, (Add-TestArcSet -Message $original -Sealer lists.arc.test -Server $script:Server -Results 'dkim=pass header.d=news.arc.test'))

    function script:Test-NoTypeName {
        <# Fails when a text export holds a .NET type name where a value belongs. #>
        param([string] $Text)
        $Text | Should -Not -Match 'System\.(Collections|Net|Object\[\]|String\[\])|MailAuth\.[A-Za-z]+\.[A-Za-z]+'
    }

    function script:Get-EnumProperty {
        <# The names and values of an object's enum-valued properties. #>
        param($InputObject)
        foreach ($p in $InputObject.psobject.Properties) {
            try { $v = $p.Value } catch { continue }
            if ($null -ne $v -and $v.GetType().IsEnum) { [pscustomobject]@{ Name = $p.Name; Value = $v.ToString() } }
        }
    }
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'Default views at 80 and 120 columns' {
    It '<Type> fits 80 columns with its key columns and whole values' -ForEach $OutputCases {
        $objects = & $Make
        $objects | Should -Not -BeNullOrEmpty
        $text = $objects | Format-ForWidth -Width 80
        $lines = $text -split "`r?`n"
        $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        foreach ($label in $Labels) { $text | Should -Match ('(^|\s)' + [regex]::Escape($label) + '(\s|$)') }
        foreach ($value in $Whole) { $text | Should -Match ([regex]::Escape($value)) }
        # A header label printed one character per line is a column squeezed below its width.
        $text | Should -Not -Match "(?m)^\s+[A-Za-z]\r?\n\s+[a-z]\r?\n\s+[a-z]\r?\n"
    }

    It '<Type> fits 120 columns with its key columns and whole values' -ForEach $OutputCases {
        $text = & $Make | Format-ForWidth -Width 120
        ($text -split "`r?`n") | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        foreach ($label in $Labels) { $text | Should -Match ('(^|\s)' + [regex]::Escape($label) + '(\s|$)') }
        foreach ($value in $Whole) { $text | Should -Match ([regex]::Escape($value)) }
    }

    It 'shows the Findings column of Get-SpfRecord at 120 columns, so two SPF records do not look healthy' {
        $text = Get-SpfRecord good.spf.test, multiple.spf.test, passall.spf.test -Server $Server | Format-ForWidth -Width 120
        $text | Should -Match 'Found\s+multiple\.spf\.test\s+Fail\s+Error: SpfMultipleRecords'
        $text | Should -Match 'v=spf1'
    }

    It 'keeps Dmarc, Disposition, Arc and Dkim of Test-MailAuthentication at 80 columns' {
        $text = Test-MailAuthentication -LiteralPath $Signed -ClientIP 192.0.2.10 -MailFrom a@good.spf.test -Server $Server | Format-ForWidth -Width 80
        $text | Should -Match 'Dmarc\s+Disposition\s+Spf\s+Dkim\s+Arc\s+Aligned\s+HeaderFrom'
    }

    It 'word-wraps Test-MailDomain details and the DMARC report diagnosis instead of breaking words' {
        $words = { param($t) ($t -split '\s+') | Where-Object { $_ -match '^[a-z]{2,}$' } }
        $detail = (Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $Server | Where-Object Check -eq Dmarc.Present).Detail
        $text = Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $Server | Format-ForWidth -Width 80
        foreach ($word in (& $words $detail)) { $text | Should -Match "\b$word\b" }
        $summary = Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') | Get-DmarcReportSummary | Select-Object -First 1
        $list = $summary | Format-List | Out-String -Width 80
        foreach ($word in (& $words $summary.Diagnosis)) { $list | Should -Match "\b$word\b" }
        $list | Should -Match 'Diagnosis'
    }

    It 'says how many messages a DMARC report counts beside its rows' {
        $text = Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') | Format-ForWidth -Width 80
        $text | Should -Match 'Messages\s+Rows'
        $text | Should -Match '\s216\s+4\s'
    }

    It 'keeps the SPF tree''s loop note and gives nodes a ToString without indentation' {
        $nodes = @((Get-SpfRecord loop.spf.test -Expand -Server $Server).Tree.Flatten())
        ($nodes | Format-ForWidth -Width 80) | Should -Match 'include:loop\.spf\.test\s+Found\s+0\s+0\s+0 LOOP'
        $nodes[2].ToString() | Should -Be 'include:loop.spf.test: 0 lookup(s), 0 with includes, LOOP'
    }

    It 'shows an MX finding only on the row of the exchange it is about' {
        $rows = Get-MxRecord alias.mx.test, mx.test -Server $Server
        ($rows | Where-Object Exchange -eq 'mxalias.mx.test').FindingCodes | Should -Be 'MxTargetIsAlias'
        ($rows | Where-Object Domain -eq 'mx.test').FindingCodes | Should -Be @('', '')
    }

    It 'writes the SES verdict''s changes as whole words within 80 columns' {
        $v = Test-SesDomainSetup nospfinclude.ses-broken.test -Region us-east-1 -Token $Tokens -MailFromDomain mail.nospfinclude.ses-broken.test -Server $Server -VerdictOnly
        $text = $v | Format-ForWidth -Width 80
        ($text -split "`r?`n") | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        $text | Should -Match 'Changes\s+: - ~ mail\.nospfinclude\.ses-broken\.test TXT'
        ($text -replace '\s+', ' ') | Should -BeLike "*- $($v.Changes[0].ToString())*"
    }
}

Describe 'Exports through Export-Csv and ConvertTo-Json' {
    It '<Type> goes through Export-Csv without type names, with FindingCodes beside Findings' -ForEach $OutputCases {
        $objects = @(& $Make)
        $csv = Join-Path $TestDrive 'export.csv'
        $objects | Export-Csv -LiteralPath $csv -NoTypeInformation
        Test-NoTypeName (Get-Content -LiteralPath $csv -Raw)
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows.Count | Should -Be $objects.Count
        if ($objects[0].psobject.Properties['Findings']) {
            $rows[0].psobject.Properties.Name | Should -Contain 'FindingCodes'
            $rows[0].FindingCodes | Should -Be $objects[0].FindingCodes
        }
    }

    It '<Type> goes through ConvertTo-Json -Depth 5 with names for enums and text for addresses' -ForEach $OutputCases {
        $objects = @(& $Make)
        $json = $objects | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
        $json | Should -Not -Match '"AddressFamily"'
        $back = @($json | ConvertFrom-Json)
        $back.Count | Should -Be $objects.Count
        foreach ($p in (Get-EnumProperty $objects[0])) { $back[0].($p.Name) | Should -Be $p.Value -Because "$($p.Name) is an enum" }
    }

    It 'writes IPv4 and IPv6 client addresses and networks as text' {
        $json = Test-Spf 2001:db8::1 good.spf.test -Server $Server | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.IPAddress | Should -Be '2001:db8::1'
        $json.Result | Should -Be 'Fail'
        $spf = Get-SpfRecord good.spf.test -Expand -Server $Server | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $spf.AuthorizedNetworks.ForEach('Address') | Should -Contain '2001:db8:1::'
        (Get-MxRecord mx.test -Server $Server | ConvertTo-Json | ConvertFrom-Json).Addresses | Should -Contain '2001:db8::26'
    }

    It 'writes a collection in Export-Csv as its items' {
        $csv = Join-Path $TestDrive 'spf.csv'
        Get-SpfRecord good.spf.test -Server $Server | Export-Csv -LiteralPath $csv
        (Import-Csv -LiteralPath $csv).Terms | Should -Be 'ip4:192.0.2.0/25; a; mx; include:inc.spf.test; -all'
    }
}

Describe 'Collections on results' {
    It 'are read-only arrays that PowerShell''s .ForEach() and .Where() work on' {
        $r = Get-SpfRecord multiple.spf.test -Server $Server
        $r.Findings.ForEach({ $_.Code }) | Should -Be 'SpfMultipleRecords'
        $r.Findings.Where({ $_.Severity -eq 'Error' }).Count | Should -Be 1
        { $r.Findings.Clear() } | Should -Throw
        { $r.Findings[0] = $null } | Should -Throw
        $r.Findings.Count | Should -Be 1
    }

    It 'are read-only on every output type' -ForEach $OutputCases {
        foreach ($o in @(& $Make)) {
            foreach ($p in $o.psobject.Properties) {
                try { $v = $p.Value } catch { continue }
                if ($v -is [System.Collections.IList] -and $v -isnot [array]) { $v.IsReadOnly | Should -BeTrue -Because "$Type.$($p.Name)" }
                $v | Should -Not -BeOfType ([System.Collections.Generic.List[object]].GetGenericTypeDefinition())
            }
        }
    }
}

Describe 'One filter for what is wrong' {
    It 'Test-SesDomainSetup | Where-Object Status -ne Ok is empty for a perfect setup' {
        Test-SesDomainSetup ses-ok.test -Region us-east-1 -Token $Tokens -MailFromDomain mail.ses-ok.test -Server $Server |
            Where-Object Status -ne Ok | Should -BeNullOrEmpty
    }

    It 'Test-SesDomainSetup | Where-Object Status -ne Ok lists every problem of a broken setup, the verdict last' {
        $problems = @(Test-SesDomainSetup twomx.ses-broken.test -Region us-east-1 -Token $Tokens -MailFromDomain mail.twomx.ses-broken.test -Server $Server |
            Where-Object Status -ne Ok)
        $problems[0].Status | Should -Be 'Conflict'
        $problems[-1].Identity | Should -Be 'twomx.ses-broken.test'
        $problems[-1].Status | Should -BeIn 'Warning', 'Fail'
    }

    It 'Test-MailDomain | Where-Object Status -ne Ok is empty for a compliant domain and lists the failures of another' {
        Test-MailDomain compliant.ready.test -DkimSelector s2048 -Server $Server | Where-Object Status -ne Ok | Should -BeNullOrEmpty
        (Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $Server | Where-Object Status -ne Ok).Check |
            Should -Be @('Dmarc.Present', 'Gmail.Dmarc', 'Yahoo.Dmarc', 'Microsoft.Dmarc', 'Summary')
    }

    It 'gives the rules DNS cannot show Status NotCheckable, only with -IncludeNotCheckable' {
        $rows = Test-MailDomain compliant.ready.test -DkimSelector s2048 -Requirement Gmail -IncludeNotCheckable -Server $Server | Where-Object Status -ne Ok
        $rows.Check | Should -Be @('Gmail.ReverseDns', 'Gmail.Unsubscribe')
        $rows.Status | Should -Be @('NotCheckable', 'NotCheckable')
    }
}

Describe 'Test-MailAuthentication input' {
    BeforeAll {
        $script:Inbox = Join-Path $TestDrive 'inbox'
        New-Item -ItemType Directory -Path $Inbox | Out-Null
        Copy-Item -LiteralPath $Signed -Destination (Join-Path $Inbox 'msg[1].eml')
    }

    It 'reads a file whose name holds brackets from Get-ChildItem, through -LiteralPath' {
        $r = Get-ChildItem -LiteralPath $Inbox | Test-MailAuthentication -ClientIP 192.0.2.10 -MailFrom a@good.spf.test -Server $Server
        $r.Path | Should -Be (Join-Path $Inbox 'msg[1].eml')
        $r.HeaderFromDomain | Should -Be 'dkim.test'
    }

    It 'takes -Path, -ClientIP and -MailFrom from Import-Csv rows' {
        $csv = Join-Path $TestDrive 'received.csv'
        @([pscustomobject]@{ Path = $Signed; ClientIP = '192.0.2.10'; MailFrom = 'a@good.spf.test' },
          [pscustomobject]@{ Path = $Signed; ClientIP = '2001:db8::99'; MailFrom = 'a@good.spf.test' }) | Export-Csv -LiteralPath $csv
        $r = Import-Csv -LiteralPath $csv | Test-MailAuthentication -Server $Server
        $r.ClientIP | Should -Be @('192.0.2.10', '2001:db8::99')
        $r.SpfResult | Should -Be @('Pass', 'Fail')
    }

    It 'reads message text from the pipeline' {
        $r = Get-Content -Raw -LiteralPath $Signed | Test-MailAuthentication -ClientIP 192.0.2.10 -MailFrom a@good.spf.test -Server $Server
        $r.HeaderFromDomain | Should -Be 'dkim.test'
        $r.Dkim.Result | Should -Be 'Pass'
    }

    It 'warns when the input is not a message, and when there is no MAIL FROM' {
        $text = Join-Path $TestDrive 'notes.txt'
        Set-Content -LiteralPath $text -Value 'just some notes, not a message'
        $null = Test-MailAuthentication -LiteralPath $text -ClientIP 192.0.2.10 -Server $Server -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings[0] | Should -Match 'not an RFC 5322 message'
        $warnings[1] | Should -Match 'no Return-Path and no -MailFrom'
    }

    It 'refuses -ClientIP 1 as Test-Spf refuses it, and goes on with the next input' {
        $csv = @([pscustomobject]@{ Path = $Signed; ClientIP = '1' }, [pscustomobject]@{ Path = $Signed; ClientIP = '192.0.2.10' })
        $r = $csv | Test-MailAuthentication -MailFrom a@good.spf.test -Server $Server -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.ClientIP | Should -Be '192.0.2.10'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidClientIP,*'
        $null = Test-Spf 1 good.spf.test -Server $Server -ErrorVariable spfErrs -ErrorAction SilentlyContinue
        $spfErrs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIPAddress,*'
    }
}

Describe 'Tab completion' {
    BeforeAll {
        function script:Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $script:AwsDir = Join-Path $TestDrive 'aws'
        New-Item -ItemType Directory -Path $AwsDir | Out-Null
        Set-Content -LiteralPath (Join-Path $AwsDir 'config') -Value '[default]', 'region = us-east-1', '[profile work]', '[sso-session corp]'
        Set-Content -LiteralPath (Join-Path $AwsDir 'credentials') -Value '[ci]', 'aws_access_key_id = A'
    }

    It 'completes -Region with the SES regions on every SES cmdlet' -ForEach @(
        @{ Line = 'Get-SesDnsRecord example.com -Region ap-n' }, @{ Line = 'New-SesDkimRecord example.com -Region ap-n' },
        @{ Line = 'New-SesMailFromConfig example.com -Region ap-n' }, @{ Line = 'Test-SesDomainSetup example.com -Region ap-n' },
        @{ Line = 'Get-SesEmailIdentity example.com -Region ap-n' }, @{ Line = 'Set-SesMailFromDomain example.com -Region ap-n' }) {
        Complete $Line | Should -Be @('ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3')
    }

    It 'completes -ProfileName from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE' {
        $saved = $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE
        try {
            $env:AWS_CONFIG_FILE = Join-Path $AwsDir 'config'
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $AwsDir 'credentials'
            Complete 'Get-SesEmailIdentity example.com -ProfileName ' | Should -Be @('ci', 'default', 'work')
            Complete 'Test-SesDomainSetup example.com -ProfileName w' | Should -Be 'work'
        }
        finally { $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE = $saved }
    }

    It 'completes -FailureOptions and offers each -BehaviorOnMxFailure value once' {
        Complete 'New-DmarcRecord example.com -Policy none -FailureOptions ' | Should -Be @('0', '1', 'd', 's')
        Complete 'New-SesMailFromConfig example.com -MailFromDomain m.example.com -Region us-east-1 -BehaviorOnMxFailure ' | Should -Be @('UseDefaultValue', 'RejectMessage')
        Complete 'Set-SesMailFromDomain example.com -BehaviorOnMxFailure ' | Should -Be @('UseDefaultValue', 'RejectMessage')
    }
}

Describe 'Authentication-Results without an authserv-id' {
    It 'reads Microsoft 365''s form with every result, compauth included, and shows the missing id' {
        $entries = Get-AuthenticationResult -LiteralPath (Get-TestDataPath authres messages microsoft365.eml)
        $entries.Method | Should -Be @('spf', 'dkim', 'dmarc', 'compauth')
        $entries.Result | Should -Be @('pass', 'pass', 'pass', 'pass')
        $entries[0].AuthServId | Should -BeNullOrEmpty
        $entries[3].Reason | Should -Be '100'
        ($entries | Format-ForWidth -Width 80) | Should -Match 'compauth\s+pass\s+\(none\)'
    }

    It 'refuses it with -Strict, as RFC 8601 does' {
        $null = Get-AuthenticationResult -LiteralPath (Get-TestDataPath authres messages microsoft365.eml) -Strict -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationResultsSyntaxError,*'
        $header = 'spf=pass (sender IP is 23.251.234.8) smtp.mailfrom=mail.example.com; dkim=pass header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100'
        (ConvertFrom-AuthenticationResult $header).Method | Should -Be @('spf', 'dkim', 'dmarc', 'compauth')
        $null = ConvertFrom-AuthenticationResult $header -Strict -ErrorVariable strictErrs -ErrorAction SilentlyContinue
        $strictErrs[0].Exception.Message | Should -Match 'authserv-id'
    }
}

Describe 'Help a person reads' {
    It 'has an about_MailAuth topic on Status, findings, the DNS cache, -Server and Pester' {
        $about = Get-Help about_MailAuth | Out-String
        foreach ($topic in 'NotFound', 'FindingCodes', 'THE DNS CACHE', '-SERVER', 'DnsLookupFailed', 'PESTER') { $about | Should -Match ([regex]::Escape($topic)) }
    }

    It 'renders the list of Test-MailDomain''s description as a list' {
        $description = (Get-Help Test-MailDomain).Description.Text
        ($description | Where-Object { $_ -like '- *' }).Count | Should -BeGreaterOrEqual 5
    }

    It 'points -Online at the cmdlet''s page under docs/cmdlets' {
        $link = (Get-Help Get-SpfRecord).relatedLinks.navigationLink | Select-Object -First 1
        $link.uri | Should -Match '/docs/cmdlets/Get-SpfRecord\.md$'
    }

    It 'explains its examples with a sentence, and some with sample output' {
        $example = (Get-Help Test-MailDomain -Examples).examples.example[0]
        ($example.remarks.Text -join "`n") | Should -Match 'Summary'
        foreach ($command in (Get-Command -Module MailAuth)) {
            foreach ($e in (Get-Help $command.Name).examples.example) {
                ($e.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$($command.Name) $($e.title.Trim('- '))"
            }
        }
    }
}

Describe 'Errors for runbooks' {
    It 'writes a failed lookup''s Status Error object, then a DnsLookupFailed error that -ErrorAction Stop stops on' {
        $r = Get-SpfRecord good.spf.test -Server 127.0.0.1:9 -DnsTimeoutSec 1 -DnsRetryCount 0 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Error'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DnsLookupFailed,*'
        $errs[0].TargetObject.Domain | Should -Be 'good.spf.test'
        $stopped = $false
        try { Get-DmarcRecord own.dmarc.test -Server 127.0.0.1:9 -DnsTimeoutSec 1 -DnsRetryCount 0 -ErrorAction Stop -OutVariable kept | Out-Null }
        catch { $stopped = $_.FullyQualifiedErrorId -like 'DnsLookupFailed,*' }
        $stopped | Should -BeTrue
        $kept.Status | Should -Be 'Error'
    }

    It 'gives one error per bad -Server value, about servers' {
        $r = Get-SpfRecord good.spf.test -Server 'http//x', $Server -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Found'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidServerAddress,*'
        $errs[0].Exception.Message | Should -Match 'not a DNS server address'
        $errs[0].Exception.Message | Should -Not -Match 'domain alone'
        $all = $null
        try { Get-SpfRecord good.spf.test -Server 'http//x' -ErrorAction SilentlyContinue -ErrorVariable all } catch { $all = @($_) }
        @($all).Count | Should -Be 1
    }
}
