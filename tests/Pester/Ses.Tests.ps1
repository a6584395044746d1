# The SES cmdlets as a user runs them: record builders, -WhatIf, and Test-SesDomainSetup against live DNS.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Tokens = 'eogp72tvvmnugysm4vjttzghjnmzww36', 'zh4gjftm6etwoq6afzugpky45synznly', '224i4yxa5dv7c2xz3womw6peuasteono'
    # The SES v2 stand-in (SigV4-verifying) and a credentials file with its profiles, for this whole file: the AWS SDK
    # kept reading the first credentials file when a later block of the same process pointed AWS_SHARED_CREDENTIALS_FILE elsewhere.
    $script:Ses = Start-TestSesServer
    $script:SavedCredentials = $env:AWS_SHARED_CREDENTIALS_FILE
    $env:AWS_SHARED_CREDENTIALS_FILE = $script:Ses.CredentialsFile
    $script:Api = @{ Region = 'us-east-1'; ProfileName = 'ses-test'; EndpointUrl = $script:Ses.EndpointUrl }
}

AfterAll {
    $env:AWS_SHARED_CREDENTIALS_FILE = $script:SavedCredentials
    Stop-TestSesServer $script:Ses
    Stop-TestDnsServer $script:Dns
}

Describe 'New-SesDkimRecord' {
    It 'makes the three Easy DKIM CNAMEs of seed 002' {
        $records = New-SesDkimRecord domainname.com -Token aaa, bbb, ccc -Region us-east-1
        $records.Name | Should -Be @('aaa._domainkey.domainname.com', 'bbb._domainkey.domainname.com', 'ccc._domainkey.domainname.com')
        $records.Type | Should -Be @('CNAME', 'CNAME', 'CNAME')
        $records[0].Value | Should -Be 'aaa.dkim.amazonses.com'
    }

    It 'uses the regional hosted zone where SES has one' {
        (New-SesDkimRecord example.com -Token aaa, bbb, ccc -Region ap-northeast-3)[0].Value | Should -Be 'aaa.dkim.ap-northeast-3.amazonses.com'
    }

    It 'takes the identity and its tokens from a CSV by property name' {
        $csv = Join-Path $TestDrive 'identities.csv'
        @([pscustomobject]@{ Identity = 'a.example'; Region = 'us-east-1' }, [pscustomobject]@{ Identity = 'b.example'; Region = 'eu-west-1' }) |
            Export-Csv -LiteralPath $csv -NoTypeInformation
        $records = Import-Csv -LiteralPath $csv | New-SesDkimRecord -Token aaa, bbb, ccc
        $records | Should -HaveCount 6
        ($records | Where-Object Name -like '*.b.example').Count | Should -Be 3
    }

    It 'rejects an unknown region with SesUnknownRegion and goes on with the next identity' {
        $out = [pscustomobject]@{ Identity = 'a.example'; Region = 'moon-1' }, [pscustomobject]@{ Identity = 'b.example'; Region = 'us-east-1' } |
            New-SesDkimRecord -Token aaa, bbb, ccc -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -HaveCount 3
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesUnknownRegion,*'
    }
}

Describe 'New-SesMailFromConfig' {
    It 'makes the MX and SPF records of a custom MAIL FROM domain' {
        $records = New-SesMailFromConfig domainname.com mail.domainname.com -Region us-east-1 -WarningAction SilentlyContinue
        $records.Type | Should -Be @('MX', 'TXT')
        $records[0].Value | Should -Be 'feedback-smtp.us-east-1.amazonses.com'
        $records[0].Priority | Should -Be 10
        $records[1].Value | Should -Be 'v=spf1 include:amazonses.com ~all'
    }

    It 'rejects a MAIL FROM domain outside the identity with a stable error id' {
        New-SesMailFromConfig example.com mail.example.org -Region us-east-1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesMailFromOutsideIdentity,*'
    }
}

Describe 'Get-SesDnsRecord' {
    It 'lists every record of seed 002 in one table: DKIM, MAIL FROM and DMARC' {
        $records = Get-SesDnsRecord domainname.com -Token aaa, bbb, ccc -MailFromDomain mail.domainname.com -Region us-east-1 -WarningAction SilentlyContinue
        $expected = Get-Content -LiteralPath (Get-TestDataPath ses seed-002-records.txt) | Where-Object { $_ -notmatch '^#' } |
            ForEach-Object { $type, $name, $value = $_ -split "`t"; [pscustomobject]@{ Type = $type; Name = $name; Value = $value.Trim('"') } }
        $records | Should -HaveCount $expected.Count
        foreach ($row in $expected) {
            $match = $records | Where-Object { $_.Type -eq $row.Type -and $_.Name -eq $row.Name }
            $match | Should -Not -BeNullOrEmpty -Because "$($row.Type) $($row.Name) is in the seed's table"
            ($match.Value -replace '^10 ', '') | Should -Be ($row.Value -replace '^10 ', '')
        }
    }

    It 'leaves out the DMARC record with -NoDmarc' {
        (Get-SesDnsRecord example.com -Token aaa, bbb, ccc -Region us-east-1 -NoDmarc).Name | Should -Not -Contain '_dmarc.example.com'
    }
}

Describe 'ConvertTo-DnsZoneFile' {
    It 'writes one zone-file line per record from the pipeline' {
        $lines = Get-SesDnsRecord example.com -Token aaa, bbb, ccc -Region us-east-1 -MailFromDomain mail.example.com -WarningAction SilentlyContinue | ConvertTo-DnsZoneFile
        $lines | Should -Contain "mail.example.com.`t3600`tIN`tTXT`t`"v=spf1 include:amazonses.com ~all`""
        $lines | Should -Contain "mail.example.com.`t3600`tIN`tMX`t10 feedback-smtp.us-east-1.amazonses.com."
    }

    It 'takes records from a CSV by property name' {
        $csv = Join-Path $TestDrive 'records.csv'
        'Name,Type,Value,Ttl', 'www.example.com,CNAME,example.com,300', '_dmarc.example.com,TXT,v=DMARC1; p=none;,3600' | Set-Content -LiteralPath $csv
        $lines = Import-Csv -LiteralPath $csv | ConvertTo-DnsZoneFile
        $lines | Should -Be @("www.example.com.`t300`tIN`tCNAME`texample.com.", "_dmarc.example.com.`t3600`tIN`tTXT`t`"v=DMARC1; p=none;`"")
    }
}

Describe 'ConvertTo-Route53ChangeBatch' {
    It 'writes one UPSERT change per record, in the JSON that aws route53 change-resource-record-sets takes' {
        $batch = Get-SesDnsRecord example.com -Token aaa, bbb, ccc -Region us-east-1 | ConvertTo-Route53ChangeBatch | ConvertFrom-Json
        $batch.Changes | Should -HaveCount 4
        $batch.Changes.Action | Select-Object -Unique | Should -Be 'UPSERT'
        ($batch.Changes | Where-Object { $_.ResourceRecordSet.Type -eq 'TXT' }).ResourceRecordSet.ResourceRecords.Value | Should -Be '"v=DMARC1; p=none;"'
    }

    It 'writes DELETE changes with -Action Delete' {
        $batch = New-SesDkimRecord example.com -Token aaa, bbb, ccc -Region us-east-1 | ConvertTo-Route53ChangeBatch -Action Delete | ConvertFrom-Json
        $batch.Changes.Action | Select-Object -Unique | Should -Be 'DELETE'
    }
}

Describe 'Get-SesEmailIdentity' {
    It 'shows identities at 80 and 120 columns and exports them without type names' {
        $identities = Get-SesEmailIdentity ses-ok.test, pending.ses-ok.test @Api
        foreach ($width in 80, 120) {
            $text = $identities | Format-ForWidth -Width $width
            ($text -split "`r?`n") | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty
            $text | Should -Match 'Verified\s+Identity\s+Dkim\s+Findings'
            $text | Should -Match 'pending\.ses-ok\.test\s+PENDING\s+Error: SesIdentityNotVerified'
        }
        $csv = Join-Path $TestDrive 'identities.csv'
        $identities | Export-Csv -LiteralPath $csv
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'System\.|MailAuth\.[A-Za-z]+\.[A-Za-z]+'
        (Import-Csv -LiteralPath $csv)[1].FindingCodes | Should -Be 'SesIdentityNotVerified, SesDkimPending, SesNoCustomMailFrom'
        $json = $identities | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json[1].Findings[0].Severity | Should -Be 'Error'
        $json[0].Dkim.Tokens.Count | Should -Be 3
    }

    It 'reads identities through the signed SES v2 API' {
        $identities = Get-SesEmailIdentity ses-ok.test, pending.ses-ok.test @Api
        $identities.Identity | Should -Be @('ses-ok.test', 'pending.ses-ok.test')
        $identities[0].VerifiedForSendingStatus | Should -BeTrue
        $script:Ses.Server.Requests | Where-Object { -not $_.SignatureValid } | Should -BeNullOrEmpty
    }

    It 'says what a missing identity is and goes on with the next one' {
        $identities = 'nope.example', 'ses-ok.test' | Get-SesEmailIdentity @Api -ErrorVariable err -ErrorAction SilentlyContinue
        $identities.Identity | Should -Be 'ses-ok.test'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesIdentityNotFound,*'
    }

    It 'says that credentials were rejected, without showing them' {
        Get-SesEmailIdentity ses-ok.test -Region us-east-1 -ProfileName ses-expired -EndpointUrl $script:Ses.EndpointUrl -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesCredentialsRejected,*'
        ($err | Out-String) | Should -Not -Match 'DoNotLeak'
    }

    It 'reports an endpoint that answers <Identity> as SesEndpointError and reads the next identity' -ForEach @(
        @{ Identity = 'html.example'; Type = 'text/html' }
        @{ Identity = 'truncated.example'; Type = 'application/json' }
        @{ Identity = 'array.example'; Type = 'application/json' }
    ) {
        $identities = $Identity, 'ses-ok.test' | Get-SesEmailIdentity @Api -ErrorVariable err -ErrorAction SilentlyContinue
        $identities.Identity | Should -Be 'ses-ok.test'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesEndpointError,*'
        $err[0].Exception.Message | Should -BeLike "*HTTP 200*$Type*"
    }

    It 'does not follow a redirect to another origin' {
        $other = Start-TestSesServer
        try {
            Get-SesEmailIdentity "redirect-$($other.Server.Port).example" @Api -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SesEndpointError,*'
            $other.Server.Requests | Should -BeNullOrEmpty
        }
        finally { Stop-TestSesServer $other }
    }

    It 'redacts the session token a header-echoing proxy sends back' {
        Get-SesEmailIdentity echo.example -Region us-east-1 -ProfileName ses-expired -EndpointUrl $script:Ses.EndpointUrl -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesEndpointError,*'
        ($err | Out-String) | Should -Not -Match 'DoNotLeak|ASIAMAILAUTH'
        $err[0].Exception.Message | Should -Match '\[redacted\]'
    }

    It 'refuses plain http to a host that is not loopback' {
        Get-SesEmailIdentity ses-ok.test -Region us-east-1 -ProfileName ses-test -EndpointUrl http://192.0.2.10/ -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesInsecureEndpoint,*'
    }
}

Describe 'Set-SesMailFromDomain' {
    It 'sends nothing under -WhatIf' {
        $before = $script:Ses.Server.Requests.Count
        Set-SesMailFromDomain whatif.ses-ok.test mail.whatif.ses-ok.test @Api -WhatIf
        $script:Ses.Server.Requests.Count | Should -Be $before
    }

    It 'sets the MAIL FROM domain with a signed PUT and returns what it set with -PassThru' {
        $r = Set-SesMailFromDomain ses-ok.test bounce.ses-ok.test -BehaviorOnMxFailure RejectMessage @Api -Confirm:$false -PassThru -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        $r.MailFromDomain | Should -Be 'bounce.ses-ok.test'
        $put = @(@($script:Ses.Server.Requests) | Where-Object { $_.Method -eq 'PUT' -and $_.Body -match 'bounce\.ses-ok\.test' })
        $put | Should -Not -BeNullOrEmpty
        $put[-1].SignatureValid | Should -BeTrue
        $put[-1].Body | Should -Match 'REJECT_MESSAGE'
    }

    It 'refuses a MAIL FROM domain outside the identity before sending anything' {
        $before = $script:Ses.Server.Requests.Count
        Set-SesMailFromDomain ses-ok.test mail.example.org @Api -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesMailFromOutsideIdentity,*'
        $script:Ses.Server.Requests.Count | Should -Be $before
    }
}

Describe 'Test-SesDomainSetup' {
    It 'checks every record of an offline setup against live DNS, one row per record' {
        $rows = Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token $Tokens -Server $script:Server |
            Where-Object { $_.Type }
        ($rows | Where-Object Type -eq CNAME).Status | Should -Be @('Ok', 'Ok', 'Ok')
        ($rows | Where-Object Name -eq '_dmarc.nomailfrom.ses-ok.test').Status | Should -Be 'Ok'
    }

    It 'finds seed 003: SPF passes without alignment, DMARC rests on DKIM' {
        $v = Test-SesDomainSetup nomailfrom.ses-ok.test -Region ap-northeast-1 -Token $Tokens -Server $script:Server -VerdictOnly
        $v.SpfPass | Should -BeTrue
        $v.SpfAligned | Should -BeFalse
        $v.DmarcResult | Should -Be 'Pass'
        $v.Findings.Code | Should -Contain 'SesDmarcRestsOnDkim'
    }

    It 'flags two MX records on the MAIL FROM domain' {
        $rows = Test-SesDomainSetup twomx.ses-broken.test -Region us-east-1 -Token $Tokens -MailFromDomain mail.twomx.ses-broken.test -Server $script:Server |
            Where-Object Status -ne Ok
        $rows[0].Type | Should -Be 'MX'
        $rows.Status | Should -Be @('Conflict', 'Warning') # the MX row, then the verdict (SES falls back to its own MAIL FROM)
    }
}

Describe 'Test-SesDomainSetup changes and named mistakes' {
    BeforeAll {
        $script:Offline = @{ Token = $script:Tokens; Region = 'us-east-1'; Server = $script:Server }
    }

    It 'names the SMTP submission host as MAIL FROM MX and gives the Replace that fixes it, with the exact old value' {
        $rows = Test-SesDomainSetup smtphost.ses-broken.test -MailFromDomain mail.smtphost.ses-broken.test @Offline | Where-Object Type
        $mx = $rows | Where-Object Type -eq MX
        $mx.Status | Should -Be 'Mismatch'
        $mx.Code | Should -Be 'SesMailFromMxSubmissionHost'
        $mx.Change.Action | Should -Be 'Replace'
        $mx.Change.OldValue | Should -Be 'email-smtp.us-east-1.amazonaws.com'
        $mx.Change.OldPriority | Should -Be 10
        $mx.Change.NewValue | Should -Be 'feedback-smtp.us-east-1.amazonses.com'
    }

    It 'writes only the DNS changes with -AsChange, one object each' {
        $changes = Test-SesDomainSetup smtphost.ses-broken.test -MailFromDomain mail.smtphost.ses-broken.test @Offline -AsChange
        $changes | Should -HaveCount 1
        $changes[0] | Should -BeOfType ([MailAuth.Publishing.DnsChange])
        $changes[0].ToString() | Should -Be '~ mail.smtphost.ses-broken.test MX email-smtp.us-east-1.amazonaws.com -> feedback-smtp.us-east-1.amazonses.com'
        foreach ($width in 80, 120) {
            $text = $changes | Format-ForWidth -Width $width
            ($text -split "`r?`n") | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty
            $text | Should -Match 'Replace MX\s+mail\.smtphost\.ses-broken\.test\s+10 email-smtp'
        }
        $v = Test-SesDomainSetup smtphost.ses-broken.test -MailFromDomain mail.smtphost.ses-broken.test @Offline -VerdictOnly
        $v.Findings.Code | Should -Contain 'SesMailFromMxSubmissionHost'
        ($v | Select-Object -ExpandProperty Changes).Action | Should -Be 'Replace'
    }

    It 'never deletes or replaces a record it did not show (<Identity>)' -ForEach @(
        @{ Identity = 'twomx.ses-broken.test' }, @{ Identity = 'twospf.ses-broken.test' }, @{ Identity = 'nospfinclude.ses-broken.test' },
        @{ Identity = 'mxwrongregion.ses-broken.test' }, @{ Identity = 'wrongregion.ses-broken.test' }, @{ Identity = 'txtdkim.ses-broken.test' }
    ) {
        $rows = Test-SesDomainSetup $Identity -MailFromDomain "mail.$Identity" @Offline | Where-Object Type
        $changes = @($rows | ForEach-Object { foreach ($c in $_.Changes) { [pscustomobject]@{ Row = $_; Change = $c } } })
        $changes | Should -Not -BeNullOrEmpty
        foreach ($c in $changes | Where-Object { "$($_.Change.Action)" -ne 'Add' }) {
            $c.Row.Found | Should -BeLike "*$($c.Change.OldValue)*" -Because "$($c.Change) removes what the row showed"
        }
    }

    It 'merges two SPF records on the MAIL FROM domain instead of dropping one' {
        $row = Test-SesDomainSetup twospf.ses-broken.test -MailFromDomain mail.twospf.ses-broken.test @Offline | Where-Object { $_.Type -eq 'TXT' -and $_.Purpose -eq 'MAIL FROM SPF' }
        $row.Changes.Action | Should -Be @('Replace', 'Delete')
        $row.Changes[0].NewValue -split ' ' | Sort-Object | Should -Be @('~all', 'include:amazonses.com', 'mx', 'v=spf1')
        @($row.Changes.OldValue) | Sort-Object | Should -Be @('v=spf1 include:amazonses.com ~all', 'v=spf1 mx -all')
    }

    It 'names an MX of another region and SPF without include:amazonses.com' {
        (Test-SesDomainSetup mxwrongregion.ses-broken.test -MailFromDomain mail.mxwrongregion.ses-broken.test @Offline -VerdictOnly).Findings.Code |
            Should -Contain 'SesMailFromMxWrongRegion'
        $spf = Test-SesDomainSetup nospfinclude.ses-broken.test -MailFromDomain mail.nospfinclude.ses-broken.test @Offline | Where-Object Code -eq 'SesMailFromSpfNoSesInclude'
        $spf.Change.NewValue | Should -Be 'v=spf1 include:_spf.google.com include:amazonses.com ~all'
    }

    It 'replaces the DMARC record to drop aspf=s when it keeps the MAIL FROM from aligning' {
        $change = Test-SesDomainSetup strictaspf.ses-broken.test -MailFromDomain mail.strictaspf.ses-broken.test @Offline -AsChange
        $change.Name | Should -Be '_dmarc.strictaspf.ses-broken.test'
        $change.OldValue | Should -Be 'v=DMARC1; p=quarantine; aspf=s'
        $change.NewValue | Should -Be 'v=DMARC1; p=quarantine;'
    }

    It 'adds the missing DMARC record' {
        $change = Test-SesDomainSetup nodmarc.ses-broken.test -MailFromDomain mail.nodmarc.ses-broken.test @Offline -AsChange
        $change.Action | Should -Be 'Add'
        $change.Name | Should -Be '_dmarc.nodmarc.ses-broken.test'
        $change.NewValue | Should -Be 'v=DMARC1; p=none;'
    }

    It 'shows rows, verdict and changes within 80 and 120 columns and exports the changes as text' {
        $out = Test-SesDomainSetup smtphost.ses-broken.test -MailFromDomain mail.smtphost.ses-broken.test @Offline
        foreach ($width in 80, 120) {
            $text = $out | Format-ForWidth -Width $width
            ($text -split "`r?`n") | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty
            $text | Should -Match 'Changes\s+: - ~ mail\.smtphost\.ses-broken\.test MX'
            $text | Should -Match 'Region\s+: us-east-1, sends aligned mail'
        }
        $csv = Join-Path $TestDrive 'verdict.csv'
        $out | Select-Object -Last 1 | Export-Csv -LiteralPath $csv
        (Import-Csv -LiteralPath $csv).ChangeSummary | Should -BeLike '~ mail.smtphost.ses-broken.test MX email-smtp.us-east-1.amazonaws.com -> *'
    }
}

Describe 'Test-SesDomainSetup through the API' {
    BeforeAll {
        $script:NoRegion = @{ ProfileName = 'ses-test'; EndpointUrl = $script:Ses.EndpointUrl; Server = $script:Server }
    }

    It 'says how to move a 1024-bit key to 2048 bits and that SPF never aligns while MAIL FROM is not started' {
        $v = Test-SesDomainSetup dkim1024.ses-ok.test @Api -Server $script:Server -VerdictOnly
        $codes = $v.Findings.Code
        $codes | Should -Contain 'SesDkimKey1024Bit'
        $codes | Should -Contain 'SesMailFromNotStarted'
        ($v.Findings | Where-Object Code -eq 'SesDkimKey1024Bit').Message | Should -Match 'at most once a day'
        ($v.Findings | Where-Object Code -eq 'SesDkimKey1024Bit').Message | Should -Match 'generated on 2023-03-28'
        $v.Region | Should -Be 'us-east-1'
        $v.SendsAligned | Should -BeTrue
    }

    It 'reports the key age of a 2048-bit key' {
        (Test-SesDomainSetup ses-ok.test @Api -Server $script:Server -VerdictOnly).Findings.Code | Should -Contain 'SesDkimKeyAge'
    }

    It 'explains DKIM state <State> from the stand-in' -ForEach @(
        @{ State = 'pending'; Code = 'SesDkimPending' }, @{ State = 'failed'; Code = 'SesDkimFailed' },
        @{ State = 'temporary-failure'; Code = 'SesDkimTemporaryFailure' }, @{ State = 'not-started'; Code = 'SesDkimNotStarted' },
        @{ State = 'success-mailfrom-pending'; Code = 'SesMailFromNotReady' }
    ) {
        $v = Test-SesDomainSetup "dkim-$State.ses-ok.test" @Api -Server $script:Server -VerdictOnly
        $v.Findings.Code | Should -Contain $Code
    }

    It 'checks each region the identity lives in; the DEED replica against its parent''s CNAMEs' {
        $v = Test-SesDomainSetup multi.ses-ok.test -Region us-east-1, ap-northeast-3 @NoRegion -VerdictOnly
        $v.Region | Should -Be @('us-east-1', 'ap-northeast-3')
        $v.SendsAligned | Should -Be @($true, $true)
        $v[1].DkimOrigin | Should -Be 'AWS_SES_US_EAST_1'
        $v[1].Findings.Code | Should -Contain 'SesDkimReplica'
        $rows = Test-SesDomainSetup multi.ses-ok.test -Region us-east-1, ap-northeast-3 @NoRegion | Where-Object { $_.Type -and $_.Region -eq 'ap-northeast-3' }
        ($rows | Where-Object Type -eq CNAME).Status | Should -Be @('Ok', 'Ok', 'Ok')
        $mx = $rows | Where-Object Type -eq MX
        $mx.Code | Should -Be 'SesMailFromMxWrongRegion'
        $mx.Changes | Should -BeNullOrEmpty -Because 'the one MX serves us-east-1; replacing it would break that region'
    }

    It 'finds the regions with -AllRegions and treats NotFound as absent' {
        $before = $script:Ses.Server.Requests.Count
        $v = Test-SesDomainSetup multi.ses-ok.test -AllRegions -ExcludeRegion eu-south-1 @NoRegion -VerdictOnly -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $v.Region | Sort-Object | Should -Be @('ap-northeast-3', 'us-east-1')
        $asked = @($script:Ses.Server.Requests)[$before..($script:Ses.Server.Requests.Count - 1)]
        $asked.SigningRegion | Should -Not -Contain 'eu-south-1'
        $asked.SigningRegion | Should -Not -Contain 'us-gov-west-1'
        ($asked | Where-Object { -not $_.SignatureValid }) | Should -BeNullOrEmpty
    }

    It 'refuses -AllRegions with an offline check' {
        Test-SesDomainSetup multi.ses-ok.test -AllRegions -Token $script:Tokens @NoRegion -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SesAllRegionsNeedsApi,*'
    }

    It 'checks a BYODKIM identity against its selector''s TXT key' {
        $row = Test-SesDomainSetup byodkim.ses-ok.test @Api -Server $script:Server | Where-Object Purpose -eq 'BYODKIM'
        $row.Name | Should -Be 'sel2026._domainkey.byodkim.ses-ok.test'
        $row.Status | Should -Be 'Ok'
    }
}

Describe 'Test-SesDomainSetup without API access' {
    It 'infers the region from the MAIL FROM MX and says what it could not check' {
        $before = $script:Ses.Server.Requests.Count
        $out = Test-SesDomainSetup noapi.ses-ok.test -MailFromDomain bounce.noapi.ses-ok.test -Server $script:Server
        $script:Ses.Server.Requests.Count | Should -Be $before
        $v = $out | Select-Object -Last 1
        $v.Region | Should -Be 'eu-west-1'
        $v.Findings.Code | Should -Contain 'SesRegionInferred'
        $v.Findings.Code | Should -Contain 'SesApiNotAsked'
        ($out | Where-Object Purpose -eq 'Easy DKIM').Status | Should -Be 'NotChecked'
        ($out | Where-Object Type -eq MX).Status | Should -Be 'Ok'
        $v.DmarcResult | Should -Be 'Pass'
    }

    It 'checks the Easy DKIM selectors seen in DMARC reports' {
        $reports = Import-DmarcReport -LiteralPath (Get-TestDataPath ses noapi-report.xml)
        $rows = Test-SesDomainSetup noapi.ses-ok.test -MailFromDomain bounce.noapi.ses-ok.test -DmarcReport $reports -Server $script:Server | Where-Object Purpose -eq 'Easy DKIM'
        $rows.Name | Should -Be @('eogp72tvvmnugysm4vjttzghjnmzww36._domainkey.noapi.ses-ok.test', 'zh4gjftm6etwoq6afzugpky45synznly._domainkey.noapi.ses-ok.test', '*._domainkey.noapi.ses-ok.test')
        $rows.Status | Should -Be @('Ok', 'Ok', 'NotChecked')
        $rows = Test-SesDomainSetup noapi.ses-ok.test -NoApi -DmarcReport (Import-DmarcReport -LiteralPath (Get-TestDataPath ses noapi-report.xml) -Expand) -Server $script:Server -VerdictOnly
        $rows.DkimAligned | Should -BeTrue
    }

    It 'does not know the region without a MAIL FROM MX, and says so' {
        $v = Test-SesDomainSetup noapi.ses-ok.test -NoApi -Token $script:Tokens -Server $script:Server -VerdictOnly
        $v.Region | Should -Be ''
        $v.Findings.Code | Should -Contain 'SesRegionUnknown'
        $v.DkimAligned | Should -BeTrue
    }
}

Describe 'Get-SpfRecord and Get-DmarcRecord changes' {
    It 'Get-SpfRecord proposes one merged record for two, deleting the second by its exact value' {
        $r = Get-SpfRecord mail.twospf.ses-broken.test -Server $script:Server
        $r.Records | Should -HaveCount 2
        $r.Changes.Action | Should -Be @('Replace', 'Delete')
        $r.Changes[1].OldValue | Should -BeIn $r.Records
    }

    It 'Get-DmarcRecord proposes p=none where no policy applies' {
        $r = Get-DmarcRecord nodmarc.ses-broken.test -Server $script:Server -WarningAction SilentlyContinue
        $r.Changes.Action | Should -Be 'Add'
        $r.Changes.NewValue | Should -Be 'v=DMARC1; p=none;'
    }
}
