# DNS changes as a user applies them: the writers (zone file, Route 53 JSON) and Publish-Route53Change against the
# SigV4-verifying Route 53 stand-in, whose accepted batches rewrite a zone of this file's own Knot server, so what the
# cmdlet checks afterwards, and what these tests read, is real DNS.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester/Route53.Tests.ps1 (Pester 5.7.1 or 6.2.0).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $zone = @(
        '$ORIGIN r53.test.'
        '$TTL 300'
        '@ IN SOA ns.r53.test. hostmaster.r53.test. 1 3600 600 86400 300'
        '@ IN NS ns.r53.test.'
        'ns IN A 127.0.0.1'
        '@ IN TXT "v=spf1 mx -all"'
        '@ IN TXT "google-site-verification=abc"'
        'www IN CNAME r53.test.'
        'stale IN TXT "v=spf1 -all"'
    ) -join "`n"
    $script:Dns = Start-TestDnsServer -ExtraZone @{ 'r53.test' = $zone }
    $script:Route53 = Start-TestRoute53Server -DnsServer $script:Dns -Zone r53.test
    $script:SavedCredentials = $env:AWS_SHARED_CREDENTIALS_FILE
    $env:AWS_SHARED_CREDENTIALS_FILE = $script:Route53.CredentialsFile
    $script:Api = @{ ProfileName = 'ses-test'; EndpointUrl = $script:Route53.EndpointUrl; Server = $script:Dns.Server }
    $script:Posts = { @($script:Route53.Server.Requests | Where-Object Method -eq 'POST').Count }

    function New-Change([string] $Action, [string] $Name, [string] $Type, [string] $Old, [string] $New, [int] $Ttl = 300) {
        [MailAuth.Publishing.DnsChange]::new($Action, $Name, $Type, $Old, $New, $Ttl, $null, 'test', 'RFC 1035', $null)
    }

    function Get-Txt([string] $Name) {
        # What Knot serves now, asked through the module's own resolver (no cache).
        $options = [MailAuth.Dns.DnsResolverOptions]::new()
        $options.Servers = [MailAuth.Dns.DnsServerEndpoint[]]@([MailAuth.Dns.DnsServerEndpoint]::Parse($script:Dns.Server))
        $answer = [MailAuth.Dns.StubResolver]::new($options).QueryAsync($Name, [MailAuth.Dns.DnsRecordType]::TXT).GetAwaiter().GetResult()
        @($answer.TxtStrings())
    }
}

AfterAll {
    $env:AWS_SHARED_CREDENTIALS_FILE = $script:SavedCredentials
    Stop-TestRoute53Server $script:Route53
    Stop-TestDnsServer $script:Dns
}

Describe 'Publish-Route53Change' {
    It 'applies piped changes in one batch, waits from PENDING to INSYNC, and -PassThru reads them back from Knot' {
        $changes = @(
            New-Change Add _dmarc.r53.test TXT $null 'v=DMARC1; p=none; rua=mailto:dmarc@r53.test'
            New-Change Replace r53.test TXT 'v=spf1 mx -all' 'v=spf1 include:amazonses.com -all'
            [MailAuth.Publishing.DnsChange]::Add([MailAuth.Publishing.DnsRecord]::new('mail.r53.test', 'MX', 'feedback-smtp.us-east-1.amazonses.com', 300, 10, 'MAIL FROM'), 'no MX', $null)
        )
        $before = & $script:Posts
        $result = $changes | Publish-Route53Change @Api -PassThru -Confirm:$false

        (& $script:Posts) - $before | Should -Be 1
        $result.Status | Should -Be InSync
        $result.HostedZoneId | Should -Be $script:Route53.HostedZoneId
        $result.ZoneName | Should -Be 'r53.test'
        $result.ChangeId | Should -Not -BeNullOrEmpty
        $result.SubmittedAt | Should -Not -BeNullOrEmpty
        $result.Changes | Should -HaveCount 3
        $result.Checks.Status | Should -Be @('Served', 'Served', 'Served')
        $result.Served | Should -BeTrue
        (Get-Txt r53.test | Sort-Object) | Should -Be @('google-site-verification=abc', 'v=spf1 include:amazonses.com -all')
        (Get-MxRecord mail.r53.test -Server $script:Dns.Server).Exchange | Should -Be 'feedback-smtp.us-east-1.amazonses.com'
        $script:Route53.Server.Requests | ForEach-Object { $_.SignatureValid | Should -BeTrue -Because $_.SignatureProblem }
    }

    It 'shows a progress bar while the change is PENDING' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Api, $Credentials)
                    $env:AWS_SHARED_CREDENTIALS_FILE = $Credentials
                    Import-Module $Manifest
                    [MailAuth.Publishing.DnsChange]::new('Add', 'progress.r53.test', 'TXT', $null, 'shown', 300, $null, $null, $null, $null) |
                        Publish-Route53Change @Api -Confirm:$false
                }).AddArgument((Get-RepositoryPath MailAuth.psd1)).AddArgument($script:Api).AddArgument($script:Route53.CredentialsFile)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $pending = @($ps.Streams.Progress | Where-Object { $_.StatusDescription -like 'PENDING*' })
            $pending.Count | Should -BeGreaterOrEqual 1
            $pending[0].Activity | Should -BeLike 'Route 53 change C* to r53.test'
            $ps.Streams.Progress[-1].RecordType | Should -Be Completed
            @($ps.Streams.Verbose).Count | Should -Be 0
        }
        finally { $ps.Dispose() }
        Get-Txt progress.r53.test | Should -Be 'shown'
    }

    It 'takes changes by property name from Import-Csv' {
        $csv = Join-Path $TestDrive 'changes.csv'
        @(
            [pscustomobject]@{ Action = 'Add'; Name = 'csv.r53.test'; Type = 'TXT'; OldValue = ''; NewValue = 'from a spreadsheet'; Ttl = 600 }
            [pscustomobject]@{ Action = 'Delete'; Name = 'r53.test'; Type = 'TXT'; OldValue = 'google-site-verification=abc'; NewValue = ''; Ttl = 300 }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $result = Import-Csv -LiteralPath $csv | Publish-Route53Change @Api -PassThru -Confirm:$false
        $result.Served | Should -BeTrue
        Get-Txt csv.r53.test | Should -Be 'from a spreadsheet'
        Get-Txt r53.test | Should -Be 'v=spf1 include:amazonses.com -all'
    }

    It 'shows the diff under -WhatIf and changes nothing' {
        $before = & $script:Posts
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -LiteralPath $transcript
        try {
            New-Change Replace r53.test TXT 'v=spf1 include:amazonses.com -all' 'v=spf1 include:amazonses.com ~all' |
                Publish-Route53Change @Api -WhatIf
        }
        finally { $null = Stop-Transcript }
        $text = (Get-Content -Raw -LiteralPath $transcript) -replace '\x1b\[[0-9;]*m' -replace '\r?\n'
        $text | Should -BeLike '*What if*Route 53 hosted zone r53.test*'
        $text | Should -BeLike '*- r53.test 300 TXT "v=spf1 include:amazonses.com -all"*'
        $text | Should -BeLike '*+ r53.test 300 TXT "v=spf1 include:amazonses.com ~all"*'
        (& $script:Posts) | Should -Be $before
        Get-Txt r53.test | Should -Be 'v=spf1 include:amazonses.com -all'
    }

    It 'reports a batch Route 53 refuses with the record and the reason, and Knot serves what it served before' {
        $before = & $script:Posts
        $changes = @(
            New-Change Add refused.r53.test TXT $null 'would be added'
            New-Change Add www.r53.test TXT $null 'beside a CNAME'
        )
        $result = $changes | Publish-Route53Change @Api -PassThru -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        (& $script:Posts) - $before | Should -Be 1
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Route53ChangeRefused,*'
        $failed[0].Exception.Message | Should -BeLike '*RRSet of type TXT with DNS name www.r53.test. is not permitted because a conflicting RRSet of type CNAME*'
        $failed[0].Exception.RefusedRecords | Should -Be 'www.r53.test TXT'
        $failed[0].TargetObject | Should -Be 'www.r53.test TXT'
        Get-Txt refused.r53.test | Should -BeNullOrEmpty
    }

    It 'refuses, before sending anything, to remove a value the zone does not hold' {
        $before = & $script:Posts
        New-Change Delete stale.r53.test TXT 'v=spf1 ~all' $null | Publish-Route53Change @Api -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Route53RecordSetChanged,*'
        $failed[0].Exception.Message | Should -BeLike '*holds "v=spf1 -all"*'
        (& $script:Posts) | Should -Be $before
        Get-Txt stale.r53.test | Should -Be 'v=spf1 -all'
    }

    It 'sends nothing for a change the zone already holds, and -NoWait returns the change while it is PENDING' {
        $before = & $script:Posts
        $same = New-Change Add stale.r53.test TXT $null 'v=spf1 -all' | Publish-Route53Change @Api -PassThru -Confirm:$false
        (& $script:Posts) | Should -Be $before
        $same.ChangeId | Should -BeNullOrEmpty
        $same.Served | Should -BeTrue

        $pending = New-Change Add nowait.r53.test TXT $null 'later' | Publish-Route53Change @Api -PassThru -NoWait -Confirm:$false
        $pending.Status | Should -Be Pending
        $pending.Checks | Should -BeNullOrEmpty
        $pending.Served | Should -BeNullOrEmpty
    }

    It 'stops waiting after -TimeoutSec with Route53ChangeTimeout and returns the change as Pending' {
        $script:Route53.Server.PendingPolls = 1000
        try {
            $result = New-Change Add slow.r53.test TXT $null 'slow' |
                Publish-Route53Change @Api -TimeoutSec 1 -PassThru -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        }
        finally { $script:Route53.Server.PendingPolls = 1 }
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Route53ChangeTimeout,*'
        $failed[0].Exception.Message | Should -BeLike '*still PENDING after 1 s*'
        $result.Status | Should -Be Pending
        $result.Checks | Should -BeNullOrEmpty
    }

    It 'names the zone it could not find, by name or for a record' {
        New-Change Add _dmarc.elsewhere.test TXT $null 'v=DMARC1; p=none' | Publish-Route53Change @Api -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Route53HostedZoneNotFound,*'
        New-Change Add a.r53.test TXT $null 'x' | Publish-Route53Change @Api -ZoneName sub.r53.test -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.Message | Should -BeLike '*No hosted zone of this account is named sub.r53.test*'
        New-Change Add a.r53.test TXT 'x' 'y' | Should -Not -BeNullOrEmpty
        [pscustomobject]@{ Action = 'Rename'; Name = 'a.r53.test'; Type = 'TXT'; NewValue = 'x' } |
            Publish-Route53Change @Api -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDnsChange,*'
    }

    It 'applies to a zone given by id, and shows results at 80 and 120 columns' {
        $result = New-Change Add byid.r53.test TXT $null 'by id' |
            Publish-Route53Change @Api -HostedZoneId "/hostedzone/$($script:Route53.HostedZoneId)" -ZoneName r53.test -PassThru -Confirm:$false
        $result.Served | Should -BeTrue
        foreach ($width in 80, 120) {
            $text = $result | Format-ForWidth -Width $width
            ($text -split "`r?`n") | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty
            $text | Should -Match 'Status\s+Served\s+Changes\s+ZoneName\s+ChangeId'
            $text | Should -Match 'InSync\s+Yes\s+1\s+r53\.test\s+C\d+MAILAUTH'
        }
        ($result | Format-List | Out-String) | Should -Match 'Served: \+ byid\.r53\.test TXT by id'
    }
}

Describe 'ConvertTo-DnsZoneFile (changes)' {
    It 'writes what a change publishes, and what it removes as a comment' {
        $lines = New-Change Replace example.com TXT 'v=spf1 -all' 'v=spf1 include:amazonses.com -all' | ConvertTo-DnsZoneFile
        $lines | Should -Be @("; remove: example.com.`t300`tIN`tTXT`t`"v=spf1 -all`"", "example.com.`t300`tIN`tTXT`t`"v=spf1 include:amazonses.com -all`"")
    }

    It 'takes changes from a CSV by property name' {
        $csv = Join-Path $TestDrive 'changes.csv'
        'Action,Name,Type,OldValue,NewValue,Ttl', 'Delete,example.com,TXT,v=spf1 mx -all,,300', 'Add,_dmarc.example.com,TXT,,v=DMARC1; p=none,3600' |
            Set-Content -LiteralPath $csv
        Import-Csv -LiteralPath $csv | ConvertTo-DnsZoneFile |
            Should -Be @("; remove: example.com.`t300`tIN`tTXT`t`"v=spf1 mx -all`"", "_dmarc.example.com.`t3600`tIN`tTXT`t`"v=DMARC1; p=none`"")
    }
}

Describe 'ConvertTo-Route53ChangeBatch (changes)' {
    It 'writes a Replace as DELETE of the old value and CREATE of the new, and an Add as CREATE' {
        $batch = @(
            New-Change Replace example.com TXT 'v=spf1 -all' 'v=spf1 include:amazonses.com -all'
            New-Change Add _dmarc.example.com TXT $null 'v=DMARC1; p=none'
        ) | ConvertTo-Route53ChangeBatch -Comment fix | ConvertFrom-Json
        $batch.Comment | Should -Be 'fix'
        $batch.Changes.Action | Should -Be @('DELETE', 'CREATE', 'CREATE')
        $batch.Changes[0].ResourceRecordSet.ResourceRecords.Value | Should -Be '"v=spf1 -all"'
        $batch.Changes[1].ResourceRecordSet.ResourceRecords.Value | Should -Be '"v=spf1 include:amazonses.com -all"'
    }

    It 'takes changes by property name and names a bad action' {
        $rows = @(
            [pscustomobject]@{ Action = 'Delete'; Name = 'example.com'; Type = 'TXT'; OldValue = 'v=spf1 mx -all'; NewValue = ''; Ttl = 300 }
            [pscustomobject]@{ Action = 'Upgrade'; Name = 'example.com'; Type = 'TXT'; OldValue = ''; NewValue = 'x'; Ttl = 300 }
        )
        $batch = $rows | ConvertTo-Route53ChangeBatch -ErrorVariable failed -ErrorAction SilentlyContinue | ConvertFrom-Json
        $batch.Changes.Action | Should -Be 'DELETE'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDnsChange,*'
    }
}
