# The seeds' journeys, each as one test that walks the whole way a user walks it, with real parts at every step:
# Knot serving the domain, the SigV4-verifying SES and Route 53 stand-ins (SES verifies the identity by looking at that
# Knot, as the real service looks at the public DNS), a real Dovecot mailbox for the DMARC reports, and the cmdlets
# chained as a runbook would chain them. Needs root (Dovecot).
# Types are matched by name (pstypenames): the test stand-ins load a second copy of MailAuth.Core beside the module's.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester/Journeys.Tests.ps1 (Pester 5.7.1 or 6.2.0).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
}

Describe 'Seed journey: an Amazon SES sending domain from nothing to DMARC pass through SPF and DKIM' {
    BeforeAll {
        # A domain that receives mail and has done nothing for SES yet: no Easy DKIM CNAMEs, no MAIL FROM, no DMARC.
        $zone = @(
            '$ORIGIN journey.test.'
            '$TTL 300'
            '@ IN SOA ns.journey.test. hostmaster.journey.test. 1 3600 600 86400 300'
            '@ IN NS ns.journey.test.'
            'ns IN A 127.0.0.1'
            '@ IN MX 10 mx.journey.test.'
            'mx IN A 192.0.2.25'
        ) -join "`n"
        $script:Dns = Start-TestDnsServer -ExtraZone @{ 'journey.test' = $zone }
        $script:Route53 = Start-TestRoute53Server -DnsServer $script:Dns -Zone journey.test
        $script:Ses = Start-TestSesServer
        $script:SavedCredentials = $env:AWS_SHARED_CREDENTIALS_FILE
        $env:AWS_SHARED_CREDENTIALS_FILE = $script:Ses.CredentialsFile
        # A fresh identity: SES says DKIM PENDING until it sees the CNAMEs in DNS, and knows no MAIL FROM domain.
        $script:Ses.Server.AddVerifyingIdentity('journey.test', 'us-east-1', $script:Dns.Server)
        $script:SesApi = @{ Region = 'us-east-1'; ProfileName = 'ses-test'; EndpointUrl = $script:Ses.EndpointUrl }
        $script:Route53Api = @{ ProfileName = 'ses-test'; EndpointUrl = $script:Route53.EndpointUrl; Server = $script:Dns.Server }
    }

    AfterAll {
        $env:AWS_SHARED_CREDENTIALS_FILE = $script:SavedCredentials
        Stop-TestRoute53Server $script:Route53
        Stop-TestSesServer $script:Ses
        Stop-TestDnsServer $script:Dns
    }

    It 'lists what is missing as changes, sets the MAIL FROM, applies the changes to Route 53 (first -WhatIf) and ends with every row Ok' {
        # 1. What is missing: the three Easy DKIM CNAMEs and a DMARC record, each with the change that adds it.
        $rows = @(Test-SesDomainSetup journey.test @SesApi -Server $Dns.Server)
        $checks = @($rows | Where-Object { $_.pstypenames -contains 'MailAuth.Ses.SesRecordCheck' })
        $verdict = $rows | Where-Object { $_.pstypenames -contains 'MailAuth.Ses.SesDomainVerdict' }
        @($checks | Where-Object Type -eq CNAME).Status | Should -Be @('Missing', 'Missing', 'Missing')
        ($checks | Where-Object Purpose -eq DMARC).Status | Should -Be Missing
        $verdict.Status | Should -Be Fail
        $verdict.Findings.Code | Should -Contain SesDkimPending
        $verdict.DkimAligned | Should -BeFalse
        $verdict.SpfAligned | Should -BeFalse
        @($verdict.Changes | Where-Object { $_.Action -eq 'Add' -and $_.Type -eq 'CNAME' }).Count | Should -Be 3
        $verdict.Changes.Action | Should -Not -Contain 'Delete'

        # 2. The custom MAIL FROM domain, so that SPF can align: -WhatIf first changes nothing at SES.
        $puts = { @($Ses.Server.Requests | Where-Object Method -eq PUT).Count }
        Set-SesMailFromDomain journey.test -MailFromDomain mail.journey.test @SesApi -WhatIf
        & $puts | Should -Be 0
        Set-SesMailFromDomain journey.test -MailFromDomain mail.journey.test @SesApi -Confirm:$false
        & $puts | Should -Be 1

        # 3. Now the MAIL FROM MX and SPF records are missing too: six changes, all Adds.
        $changes = @(Test-SesDomainSetup journey.test @SesApi -Server $Dns.Server -AsChange)
        $changes | ForEach-Object { $_.pstypenames | Should -Contain 'MailAuth.Publishing.DnsChange' }
        $changes.Action | Sort-Object -Unique | Should -Be Add
        ($changes | Where-Object Type -eq MX).NewValue | Should -Be 'feedback-smtp.us-east-1.amazonses.com'
        ($changes | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq 'mail.journey.test' }).NewValue | Should -Match 'include:amazonses\.com'
        ($changes | Where-Object Name -eq '_dmarc.journey.test').NewValue | Should -Match '^v=DMARC1;'
        $changes.Count | Should -Be 6

        # 4. Route 53: -WhatIf sends nothing and Knot serves nothing new; then the one atomic batch, waited on until INSYNC.
        $posts = { @($Route53.Server.Requests | Where-Object Method -eq POST).Count }
        $changes | Publish-Route53Change @Route53Api -WhatIf
        & $posts | Should -Be 0
        (Get-DmarcRecord journey.test -Server $Dns.Server).Status | Should -Be NotFound
        $applied = $changes | Publish-Route53Change @Route53Api -PassThru -Confirm:$false
        & $posts | Should -Be 1
        $applied.Status | Should -Be InSync
        $applied.Served | Should -BeTrue

        # 5. Knot serves the records, read the way any receiver reads them.
        (Get-DmarcRecord journey.test -Server $Dns.Server).Status | Should -Be Found
        (Get-SpfRecord mail.journey.test -Server $Dns.Server).Record | Should -Be 'v=spf1 include:amazonses.com ~all'
        @(Get-MxRecord mail.journey.test -Server $Dns.Server).Exchange | Should -Contain 'feedback-smtp.us-east-1.amazonses.com'

        # 6. SES has seen the CNAMEs and the MX (DKIM SUCCESS, MAIL FROM SUCCESS): every row Ok, DMARC passes through both.
        $rows = @(Test-SesDomainSetup journey.test @SesApi -Server $Dns.Server)
        $checks = @($rows | Where-Object { $_.pstypenames -contains 'MailAuth.Ses.SesRecordCheck' })
        $verdict = $rows | Where-Object { $_.pstypenames -contains 'MailAuth.Ses.SesDomainVerdict' }
        $checks.Count | Should -Be 6
        $checks.Status | Sort-Object -Unique | Should -Be Ok
        $verdict.Status | Should -Be Ok
        $verdict.Changes | Should -BeNullOrEmpty
        $verdict.Findings.Code | Should -Not -Contain SesDkimPending
        $verdict.SpfDomain | Should -Be 'mail.journey.test'
        $verdict.SpfPass | Should -BeTrue
        $verdict.SpfAligned | Should -BeTrue
        $verdict.DkimDomain | Should -Be 'journey.test'
        $verdict.DkimPass | Should -BeTrue
        $verdict.DkimAligned | Should -BeTrue
        $verdict.DmarcResult | Should -Be Pass
        $verdict.SendsAligned | Should -BeTrue
    }
}

Describe 'Seed journey: from the mailbox to p=reject' {
    BeforeAll {
        # Reports arrive in a real Dovecot mailbox; the policy impact resolves the senders' names through Knot.
        $script:Imap = Start-TestImapServer
        $script:Mailbox = @{ ImapServer = $script:Imap.Server; Port = $script:Imap.ImapsPort; Credential = $script:Imap.Credential; SkipCertificateCheck = $true }
        $null = Add-TestImapMessage -Server $script:Imap -Folder Processed   # the folder reports are moved to once read
        $script:Dns = Start-TestDnsServer
        $script:Sets = Get-TestDataPath reports rollout
        function script:Send-ReportSet([string] $Name) {
            # Each report of the set mailed as Google mails it: one message, the report gzipped and attached.
            $mails = foreach ($file in Get-ChildItem -LiteralPath (Join-Path $script:Sets $Name) -Filter *.xml) {
                $gz = Join-Path $TestDrive ($file.Name + '.gz')
                $out = [System.IO.File]::Create($gz)
                try {
                    $zip = [System.IO.Compression.GZipStream]::new($out, [System.IO.Compression.CompressionLevel]::Optimal)
                    $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
                    $zip.Write($bytes, 0, $bytes.Length)
                    $zip.Dispose()
                }
                finally { $out.Dispose() }
                , (New-TestReportMail -Attachment $gz -From 'noreply-dmarc-support@google.com' -Subject "Report domain: example.com Submitter: google.com")
            }
            Add-TestImapMessage -Server $script:Imap -Message $mails
        }
    }
    AfterAll {
        Stop-TestDnsServer $script:Dns
        Stop-TestImapServer $script:Imap
    }

    It 'receives the reports into the history, names the one source to fix, shows it in the page, and says Ready once new reports show it fixed' {
        Clear-TestImapFolder -Server $Imap
        $history = Join-Path $TestDrive 'journey-history'
        $null = Send-ReportSet unaligned-esp
        $first = Receive-DmarcReport @Mailbox -SaveTo $history -MoveTo Processed -Confirm:$false
        $first | Should -HaveCount (Get-ChildItem -LiteralPath (Join-Path $Sets unaligned-esp) -Filter *.xml).Count
        Get-TestImapMessageCount -Server $Imap | Should -Be 0

        $before = Import-DmarcReport $history -Recurse | Get-DmarcPolicyImpact -Policy reject -Server $Dns.Server -Summary
        $before.Verdict | Should -Be FixFirst
        @($before.Sources.Where({ $_.Verdict -eq 'FixFirst' })).Source | Should -Be 'amazonses.com (us-east-1)'
        ($before | ConvertTo-DmarcReportHtml) | Should -Match 'amazonses\.com \(us-east-1\)</td>'

        # The SES account gets a custom MAIL FROM and DKIM; the next weeks' reports arrive, and the old ones again.
        $null = Send-ReportSet esp-fixed
        $null = Send-ReportSet unaligned-esp
        $second = Receive-DmarcReport @Mailbox -SaveTo $history -MoveTo Processed -Confirm:$false
        $second | Should -HaveCount (Get-ChildItem -LiteralPath (Join-Path $Sets esp-fixed) -Filter *.xml).Count

        $after = Import-DmarcReport $history -Recurse | Get-DmarcPolicyImpact -Policy reject -Server $Dns.Server -Summary -Since 2025-12-06
        $after.Verdict | Should -Be Ready
        $after.NextRecord | Should -Be 'p=quarantine; t=y'
        $after.SourcesToFix | Should -Be 0
    }
}
