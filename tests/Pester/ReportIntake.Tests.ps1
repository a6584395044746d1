# Receive-DmarcReport as a user runs it: a real Dovecot on loopback (TLS and STARTTLS, a throwaway Maildir filled with the
# report mails of tests/data/reports) and the SigV4-verifying S3 stand-in with the same mails as an SES receipt rule stores them.
# The seed's journey from the mailbox to p=reject is in Journeys.Tests.ps1.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0). Needs root (Dovecot).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Imap = Start-TestImapServer
    $script:Mailbox = @{ ImapServer = $script:Imap.Server; Port = $script:Imap.ImapsPort; Credential = $script:Imap.Credential; SkipCertificateCheck = $true }

    # What lands in the mailbox: the Google (zip), Yahoo (gzip) and RFC 9990 (xml) report mails, an out-of-office reply,
    # the Google report again in another message, Microsoft's .xml.gz as a receiver mails it, and a report cut short.
    $resend = [System.Text.Encoding]::ASCII.GetBytes([System.IO.File]::ReadAllText((Get-TestDataPath reports google-report.eml)).
        Replace('<google-report@reports.example>', '<google-resend@reports.example>'))
    $script:Mails = [System.Collections.Generic.List[object]]::new()
    foreach ($name in 'google-report.eml', 'yahoo-report.eml', 'rfc9990-report.eml', 'no-attachment.eml') { $script:Mails.Add($name) }
    $script:Mails.Add($resend)
    $script:Mails.Add((New-TestReportMail -Attachment 'enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz'))
    $script:Mails.Add((New-TestReportMail -Attachment 'truncated-after-two-records.xml'))
    $script:NewReportIds = @('4851795216853416227', '1700092800.658437', 'a7c4e1f0-2b3d-4e5f-8a9b-0c1d2e3f4a5b', '9f5c1a2e4b7d4c0e8a3b6d2f1e0c9b8a')

    function script:Reset-Mailbox {
        Clear-TestImapFolder -Server $script:Imap
        Clear-TestImapFolder -Server $script:Imap -Folder Processed
        Add-TestImapMessage -Server $script:Imap -Message $script:Mails.ToArray()
    }
}

AfterAll {
    Stop-TestImapServer $script:Imap
}

Describe 'Receive-DmarcReport' {
    Context 'from an IMAP mailbox' {
        BeforeEach {
            $null = Reset-Mailbox
            $script:SaveTo = Join-Path $TestDrive ('saved-' + [guid]::NewGuid().ToString('N'))
        }

        It 'takes in each report once, over TLS, and leaves every message where it was' {
            $reports = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -ErrorVariable errs -ErrorAction SilentlyContinue

            $reports.ReportId | Sort-Object | Should -Be ($NewReportIds | Sort-Object)
            $reports | ForEach-Object { $_.pstypenames | Should -Contain 'MailAuth.DmarcReports.DmarcAggregateReport' }
            $reports[0].Source | Should -Match "^imaps://127\.0\.0\.1:$($Imap.ImapsPort)/INBOX;UID=\d+!"
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcReportNotXml,*'
            $errs[0].TargetObject | Should -BeLike '*truncated-after-two-records.xml'
            Get-TestImapMessageCount -Server $Imap | Should -Be 7
        }

        It 'keeps each new report''s message in -SaveTo, named after its reporter and report id, and a second run takes in nothing' {
            $null = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -ErrorAction SilentlyContinue
            $files = Get-ChildItem -LiteralPath $SaveTo -Force
            $files.Name | Should -HaveCount 4
            $files.Name | Where-Object { $_ -notmatch '^[A-Za-z0-9.@+_-]+![A-Za-z0-9.@+_-]+![0-9a-f]{16}\.eml$' } | Should -BeNullOrEmpty
            $files.Name | Should -Contain ($files.Name | Where-Object { $_ -like 'google.com!4851795216853416227!*.eml' })
            # As received: the whole message as the IMAP server gives it (with CRLF line ends, RFC 5322).
            # The first of the two Google messages to arrive is the one kept; they differ only in Message-ID.
            (Get-Content -Raw -LiteralPath ($files | Where-Object Name -like 'google.com!*').FullName).Replace("`r`n", "`n").Replace('google-resend@', 'google-report@') |
                Should -BeExactly (Get-Content -Raw -LiteralPath (Get-TestDataPath reports google-report.eml)).Replace("`r`n", "`n")

            $again = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -ErrorAction SilentlyContinue -Verbose 4>&1
            @($again | Where-Object { $_.pstypenames -contains 'MailAuth.DmarcReports.DmarcAggregateReport' }) | Should -HaveCount 0
            ($again | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain ($again.Message | Where-Object { $_ -like '*report google.com 4851795216853416227 is already saved*' } | Select-Object -First 1)
            (Get-ChildItem -LiteralPath $SaveTo -Force).Count | Should -Be 4
            Get-TestImapMessageCount -Server $Imap | Should -Be 7
        }

        It 'reads the saved history back with Import-DmarcReport -Recurse and summarizes it' {
            $null = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -ErrorAction SilentlyContinue
            $history = Import-DmarcReport $SaveTo -Recurse
            $history.ReportId | Sort-Object | Should -Be ($NewReportIds | Sort-Object)
            ($history | Get-DmarcReportSummary | Measure-Object MessageCount -Sum).Sum | Should -Be ($history | Measure-Object MessageCount -Sum).Sum
        }

        It 'says why it skipped the out-of-office reply and the second copy of a report' {
            $verbose = Receive-DmarcReport @Mailbox -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Where-Object { $_ -like '*not a report*skipped*' } | Should -HaveCount 1
            $verbose.Message | Where-Object { $_ -like '*came already in this run; dropped as a duplicate*' } | Should -HaveCount 1
            $verbose.Message | Where-Object { $_ -like '*read-only (EXAMINE)*' } | Should -HaveCount 1
        }

        It 'connects with STARTTLS on the plain port and pipes rows into Get-DmarcReportSummary' {
            $rows = Receive-DmarcReport $Imap.Server -Port $Imap.ImapPort -StartTls -Credential $Imap.Credential -SkipCertificateCheck -Expand -ErrorAction SilentlyContinue
            $rows | ForEach-Object { $_.pstypenames | Should -Contain 'MailAuth.DmarcReports.DmarcReportRow' }
            ($rows.ReportId | Sort-Object -Unique) | Should -Be ($NewReportIds | Sort-Object)
            $rows | Get-DmarcReportSummary | Should -Not -BeNullOrEmpty
        }

        It 'takes only the messages received since -Since' {
            Clear-TestImapFolder -Server $Imap
            $null = Add-TestImapMessage -Server $Imap -Message 'yahoo-report.eml' -Received ([datetime]::UtcNow.AddDays(-40))
            $null = Add-TestImapMessage -Server $Imap -Message 'google-report.eml'
            $reports = Receive-DmarcReport @Mailbox -Since ([datetime]::UtcNow.AddDays(-7))
            $reports.OrgName | Should -Be 'google.com'
        }

        It 'deletes with -Delete only the messages whose reports were read and saved' {
            $reports = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -Delete -Confirm:$false -ErrorAction SilentlyContinue
            $reports | Should -HaveCount 4
            # Left: the out-of-office reply (not a report) and the report cut short (not read); gone: four reports and the second copy.
            Get-TestImapMessageCount -Server $Imap | Should -Be 2
            (Get-ChildItem -LiteralPath $SaveTo).Count | Should -Be 4
            Import-DmarcReport $SaveTo | Should -HaveCount 4
        }

        It 'deletes nothing under -WhatIf' {
            $null = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -Delete -WhatIf -ErrorAction SilentlyContinue
            Get-TestImapMessageCount -Server $Imap | Should -Be 7
        }

        It 'refuses -Delete without -SaveTo before it connects' {
            { Receive-DmarcReport @Mailbox -Delete -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DmarcReportDeleteRequiresSaveTo,*'
            Get-TestImapMessageCount -Server $Imap | Should -Be 7
        }

        It 'refuses -MoveTo with -Delete' {
            { Receive-DmarcReport @Mailbox -SaveTo $SaveTo -MoveTo Processed -Delete -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DmarcReportMoveToAndDelete,*'
            Get-TestImapMessageCount -Server $Imap | Should -Be 7
        }

        It 'moves with -MoveTo the messages whose reports were read' {
            $null = Add-TestImapMessage -Server $Imap -Folder Processed
            $null = Receive-DmarcReport @Mailbox -SaveTo $SaveTo -MoveTo Processed -Confirm:$false -ErrorAction SilentlyContinue
            Get-TestImapMessageCount -Server $Imap | Should -Be 2
            Get-TestImapMessageCount -Server $Imap -Folder Processed | Should -Be 5
        }

        It 'stops with <ErrorId> when <Case>' -ForEach @(
            @{ Case = 'the password is wrong'; ErrorId = 'ReportSourceAuthenticationFailed'; Change = @{ Credential = [pscredential]::new('reports', (ConvertTo-SecureString 'wrong' -AsPlainText -Force)) } }
            @{ Case = 'the folder does not exist'; ErrorId = 'ReportSourceNotFound'; Change = @{ Folder = 'NoSuchFolder' } }
            @{ Case = 'the self-signed certificate is not skipped'; ErrorId = 'ReportSourceConnectFailed'; Change = @{ SkipCertificateCheck = $false } }
        ) {
            $arguments = $Mailbox.Clone()
            foreach ($k in $Change.Keys) { $arguments[$k] = $Change[$k] }
            { Receive-DmarcReport @arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*"
        }

        It 'reports progress per message' {
            $progress = [System.Collections.Generic.List[object]]::new()
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-RepositoryPath MailAuth.psd1)).AddStatement().
                    AddCommand('Receive-DmarcReport').AddParameters($Mailbox).AddParameter('ErrorAction', 'SilentlyContinue')
                $null = $ps.Invoke()
                $records = @($ps.Streams.Progress)
            }
            finally { $ps.Dispose() }
            $records | Where-Object { $_.StatusDescription -like '1 of 7:*' } | Should -HaveCount 1
            $records | Where-Object { $_.PercentComplete -eq 0 } | Should -Not -BeNullOrEmpty
            $records[-1].RecordType | Should -Be 'Completed'
        }
    }

    Context 'from the S3 prefix of an SES receipt rule' {
        BeforeAll {
            $script:S3 = Start-TestS3Server -PageSize 2
            $script:SavedEnvironment = @{}
            foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE') {
                $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
            }
            # Credentials from the environment, as a CI job or a container passes them (the default credential chain).
            $env:AWS_ACCESS_KEY_ID = [MailAuth.Tests.Infrastructure.SesTestServer]::AccessKey
            $env:AWS_SECRET_ACCESS_KEY = [MailAuth.Tests.Infrastructure.SesTestServer]::SecretKey
            $env:AWS_SESSION_TOKEN = $null
            $env:AWS_PROFILE = $null
            $script:Bucket = @{ S3Bucket = 'dmarc-inbound'; KeyPrefix = 'reports/'; Region = 'us-east-1'; EndpointUrl = $script:S3.EndpointUrl }
        }
        AfterAll {
            foreach ($name in $script:SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name]) }
            Stop-TestSesServer $script:S3
        }
        BeforeEach {
            $i = 0
            foreach ($m in $Mails) {
                $bytes = if ($m -is [byte[]]) { $m } else { [System.IO.File]::ReadAllBytes((Get-TestDataPath reports $m)) }
                $S3.Server.Put('dmarc-inbound', ('reports/{0:d2}-msg' -f $i++), $bytes, $null)
            }
            $S3.Server.Put('dmarc-inbound', 'reports/AMAZON_SES_SETUP_NOTIFICATION', [System.Text.Encoding]::ASCII.GetBytes("Subject: Amazon SES Setup Notification`r`n`r`nThis is a test.`r`n"), $null)
            $script:SaveTo = Join-Path $TestDrive ('saved-' + [guid]::NewGuid().ToString('N'))
        }

        It 'takes in each report once across ListObjectsV2 pages, every request signed, and leaves every object' {
            $reports = Receive-DmarcReport @Bucket -SaveTo $SaveTo -ErrorVariable errs -ErrorAction SilentlyContinue
            $reports.ReportId | Sort-Object | Should -Be ($NewReportIds | Sort-Object)
            $reports[0].Source | Should -BeLike 's3://dmarc-inbound/reports/*!*'
            $errs.FullyQualifiedErrorId | Should -BeLike 'DmarcReportNotXml,*'
            $S3.Server.Keys('dmarc-inbound') | Should -HaveCount 8
            $S3.Server.Requests | Where-Object { -not $_.SignatureValid } | Should -BeNullOrEmpty
            @($S3.Server.Requests | Where-Object { $_.Method -eq 'GET' -and $_.Path.TrimEnd('/') -eq '/dmarc-inbound' }).Count | Should -BeGreaterOrEqual 4

            Receive-DmarcReport @Bucket -SaveTo $SaveTo -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-ChildItem -LiteralPath $SaveTo).Count | Should -Be 4
        }

        It 'deletes with -Delete only the objects whose reports were read and saved' {
            $null = Receive-DmarcReport @Bucket -SaveTo $SaveTo -Delete -Confirm:$false -ErrorAction SilentlyContinue
            $left = $S3.Server.Keys('dmarc-inbound')
            $left | Should -HaveCount 3
            $left | Should -Contain 'reports/AMAZON_SES_SETUP_NOTIFICATION'
            $left | Should -Contain 'reports/03-msg'
            $left | Should -Contain 'reports/06-msg'
        }

        It 'stops promptly on Ctrl+C (the pipeline stopping) while a message is being fetched' {
            $S3.Server.Put('dmarc-inbound', 'reports/00-slow', [byte[]]@(1), $null)
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-RepositoryPath MailAuth.psd1)).AddStatement().
                    AddCommand('Receive-DmarcReport').AddParameters($Bucket)
                $async = $ps.BeginInvoke()
                $deadline = [datetime]::UtcNow.AddSeconds(15)
                while (-not ($S3.Server.Requests | Where-Object Path -like '*/reports/00-slow') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $answered = $S3.Server.SlowAnswersSent
                $ps.Stop()
                # Stop() returns once the pipeline has stopped: it stopped when asked to, not when the server finally
                # answered (20 s after the question).
                $S3.Server.SlowAnswersSent | Should -Be $answered
                $ps.InvocationStateInfo.State | Should -Be Stopped
                # The asynchronous result completes on another thread right after; the wait only guards against a hang.
                $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue
            }
            finally { $ps.Dispose() }
        }

        It 'stops with ReportSourceNotFound for a bucket that does not exist' {
            { Receive-DmarcReport @Bucket -S3Bucket 'no-such-bucket' -ErrorAction Stop } | Should -Throw -ErrorId 'ReportSourceNotFound,*'
        }

        It 'refuses a plain-http endpoint that is not loopback' {
            { Receive-DmarcReport -S3Bucket b -Region us-east-1 -EndpointUrl 'http://s3.example.com' -ErrorAction Stop } | Should -Throw -ErrorId 'ReportSourceInsecureEndpoint,*'
        }
    }
}
