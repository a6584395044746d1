# Get-DmarcPolicyImpact and ConvertTo-DmarcReportHtml as a user runs them, over the report sets of
# tests/data/reports/rollout (one per verdict; see its README).
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards; the HTML
# page is opened in headless Chromium (Debian package chromium), and its screenshot kept in tests/TestResults/html.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Sets = Get-TestDataPath reports rollout
    function script:Get-ReportSet([string[]] $Name) { Import-DmarcReport -LiteralPath ($Name | ForEach-Object { Join-Path $script:Sets $_ }) }

    function script:Invoke-Chromium {
        <# Runs headless Chromium on a local file; returns its standard output (the DOM with -DumpDom). #>
        param([string] $Path, [switch] $DumpDom, [string] $Screenshot)
        $userData = Join-Path $TestDrive ('chromium-' + [guid]::NewGuid().ToString('N'))
        $arguments = @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', "--user-data-dir=$userData", '--window-size=1280,2400')
        if ($DumpDom) { $arguments += '--dump-dom' }
        if ($Screenshot) { $arguments += "--screenshot=$Screenshot" }
        $arguments += [uri]::new('file://' + $Path).AbsoluteUri
        # Chromium logs to stderr (no D-Bus here); only the text on stdout is the DOM.
        $out = & chromium @arguments 2>&1
        ($out | Where-Object { $_ -is [string] }) -join "`n"
    }
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'Get-DmarcPolicyImpact' {
    It 'names the one source to fix: an SES account in us-east-1 without custom MAIL FROM or aligned DKIM' {
        $rows = Get-ReportSet unaligned-esp | Get-DmarcPolicyImpact -Policy reject -Server $Server
        $fix = @($rows | Where-Object Verdict -eq FixFirst)
        $fix.Count | Should -Be 1
        $fix[0].Source | Should -Be 'amazonses.com (us-east-1)'
        $fix[0].SesRegion | Should -Be 'us-east-1'
        $fix[0].WouldBeAffected | Should -Be 125
        $fix[0].Fix | Should -Match 'custom MAIL FROM under example\.com'
        $fix[0].Fix | Should -Match 'sign with d=example\.com'
        ($rows | Where-Object SesRegion -eq 'ap-northeast-1').SourceIPs | Should -Be @('203.0.113.10', '203.0.113.11')
    }

    It 'takes rows from Import-DmarcReport -Expand as well as reports' {
        $fromRows = Get-ChildItem (Join-Path $Sets 'spf-only') | Import-DmarcReport -Expand | Get-DmarcPolicyImpact -Offline
        $fromReports = Get-ReportSet spf-only | Get-DmarcPolicyImpact -Offline
        ($fromRows | ForEach-Object { "$($_.Source) $($_.Messages) $($_.Verdict)" }) | Should -Be ($fromReports | ForEach-Object { "$($_.Source) $($_.Messages) $($_.Verdict)" })
        ($fromRows | Where-Object Verdict -eq FixFirst).Fix | Should -Be 'sign with DKIM (d=example.com): SPF alone breaks on forwarding'
    }

    It 'recommends p=quarantine; t=y after a clean month at p=none, with the RFC 9989 sections' {
        $plan = Get-ReportSet ready | Get-DmarcPolicyImpact -Policy quarantine -Summary -Offline
        $plan.Verdict | Should -Be Ready
        $plan.NextRecord | Should -Be 'p=quarantine; t=y'
        $plan.References | Should -Contain 'RFC 9989 §7.4'
        $plan.References | Should -Contain 'RFC 9989 §5.1.6'
        $plan.Sources.Where({ $_.Verdict -eq 'Unauthenticated' }).Source | Should -Be '198.51.100.7'
    }

    It 'says NotEnoughEvidence for one week, and -MinimumDays changes that' {
        (Get-ReportSet too-few-days | Get-DmarcPolicyImpact -Summary -Offline).Verdict | Should -Be NotEnoughEvidence
        (Get-ReportSet too-few-days | Get-DmarcPolicyImpact -Summary -Offline -MinimumDays 7).Verdict | Should -Be Ready
    }

    It 'counts Google''s 550-5.7.30 failures per source' {
        $row = Get-ReportSet google-5.7.30 | Get-DmarcPolicyImpact -Offline | Where-Object Verdict -eq FixFirst
        $row.Source | Should -Be '203.0.113.40'
        $row.SenderRequirementFailures | Should -Be '550-5.7.30 Dkim: 60'
        $row.Overrides | Should -Be 'local_policy: 60'
    }

    It 'bounds the window with -Since and -Until (dates are UTC)' {
        $plan = Get-ReportSet unaligned-esp, esp-fixed | Get-DmarcPolicyImpact -Summary -Offline -Since 2025-12-06
        $plan.Verdict | Should -Be Ready
        $plan.FirstSeen | Should -Be ([datetime]::new(2025, 12, 6, 0, 0, 0, [DateTimeKind]::Utc))
        (Get-ReportSet ready | Get-DmarcPolicyImpact -Summary -Offline -Until 2025-11-08).DaysOfEvidence | Should -Be 14
    }

    It 'stops with DmarcPolicyImpactEmptyWindow when -Since is after -Until' {
        { Get-ReportSet ready | Get-DmarcPolicyImpact -Offline -Since 2026-01-02 -Until 2026-01-01 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DmarcPolicyImpactEmptyWindow,*'
    }

    It 'writes DmarcPolicyImpactInvalidInput for other input and goes on with the reports' {
        $input = @('not a report') + @(Get-ReportSet spf-only)
        $rows = $input | Get-DmarcPolicyImpact -Offline -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcPolicyImpactInvalidInput,*'
        ($rows | Where-Object Verdict -eq FixFirst).Source | Should -Be '203.0.113.20'
    }

    It 'shows verdict, counts and source at 80 columns and the fix from 120' {
        $rows = Get-ReportSet unaligned-esp | Get-DmarcPolicyImpact -Server $Server
        $text80 = $rows | Format-ForWidth -Width 80
        ($text80 -split "`r?`n") | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        $text80 | Should -Match 'Verdict\s+Messages\s+Affected\s+SpfOnly\s+Source'
        $text80 | Should -Match 'FixFirst\s+125\s+125\s+0 amazonses\.com \(us-east-1\)'
        $text80 | Should -Match 'Domain: example\.com \(to p=reject\)'
        $text120 = $rows | Format-ForWidth -Width 120
        ($text120 -split "`r?`n") | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        $text120 | Should -Match 'Source\s+Fix'
        $text120 | Should -Match 'sign with d=example\.com'
    }

    It 'shows the recommendation as a list whose reasons are wrapped, not cut, at 80 columns' {
        $plan = Get-ReportSet unaligned-esp | Get-DmarcPolicyImpact -Summary -Offline
        $text = $plan | Format-ForWidth -Width 80
        ($text -split "`r?`n") | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        $text | Should -Match 'Verdict\s+: FixFirst'
        $text | Should -Match 'NextRecord\s+: p=none'
        foreach ($word in ($plan.Reasons -join ' ' -split '\s+' | Where-Object { $_ -match '^[a-z]{3,}$' })) { $text | Should -Match "\b$word\b" }
        ($plan.Daily | Format-ForWidth -Width 80) | Should -Match 'Date \(UTC\)\s+Messages\s+DmarcPass\s+DmarcFail\s+PassRate'
    }

    It 'keeps everything in Export-Csv and ConvertTo-Json' {
        $rows = Get-ReportSet google-5.7.30 | Get-DmarcPolicyImpact -Offline
        $csv = $rows | ConvertTo-Csv | ConvertFrom-Csv
        $row = $csv | Where-Object Verdict -eq FixFirst
        $row.SenderRequirementFailures | Should -Be '550-5.7.30 Dkim: 60'
        $row.Overrides | Should -Be 'local_policy: 60'
        $row.Fix | Should -Match 'Gmail says 550-5\.7\.30'
        ($csv | Where-Object Source -eq '203.0.113.10').SourceIPs | Should -Be '203.0.113.10'
        $json = Get-ReportSet google-5.7.30 | Get-DmarcPolicyImpact -Offline -Summary | ConvertTo-Json -Depth 4
        $json | Should -Match '"Verdict": "FixFirst"'
        $json | Should -Match '"Policy": "Reject"'
        $json | Should -Match '"550-5.7.30 Dkim: 60"'
        $json | Should -Match '"NextRecord": "p=none"'
    }
}

Describe 'ConvertTo-DmarcReportHtml' {
    BeforeAll {
        $script:Shots = Join-Path (Get-RepositoryPath) 'tests/TestResults/html'
        New-Item -ItemType Directory -Force -Path $script:Shots | Out-Null
    }

    It 'writes one page with a chart and a table per section, the blocking source named, and no external URL' {
        $html = Get-ReportSet unaligned-esp, google-5.7.30 | ConvertTo-DmarcReportHtml -Policy reject -Server $Server -Title 'example.com rollout'
        @($html).Count | Should -Be 1
        $html | Should -Not -Match '(?i)(src|href)\s*=\s*["'']?\s*(https?:)?//'
        $html | Should -Not -Match '(?i)<script|<link|@import|url\('
        $page = Join-Path $TestDrive 'report.html'
        Set-Content -LiteralPath $page -Value $html -Encoding utf8
        $dom = Invoke-Chromium -Path $page -DumpDom
        ([regex]::Matches($dom, '<svg\b')).Count | Should -Be 4
        ([regex]::Matches($dom, '<table\b')).Count | Should -Be 4
        $dom | Should -Match 'Sources that block enforcement'
        $dom | Should -Match 'amazonses\.com \(us-east-1\)'
        $dom | Should -Match '550-5\.7\.30'
        $dom | Should -Match 'example\.com rollout'
        $shot = Join-Path $Shots 'policy-impact.png'
        Remove-Item -LiteralPath $shot -ErrorAction SilentlyContinue
        Invoke-Chromium -Path $page -Screenshot $shot | Out-Null
        (Get-Item -LiteralPath $shot).Length | Should -BeGreaterThan 10000
    }

    It 'encodes hostile values from reports' {
        $xml = (Get-Content -Raw -LiteralPath (Get-ChildItem (Join-Path $Sets 'spf-only'))[0].FullName) -replace '<org_name>google.com</org_name>', '<org_name>&lt;script&gt;alert(1)&lt;/script&gt;</org_name>' -replace '<domain>example.com</domain>', '<domain>&lt;img src=x onerror=alert(1)&gt;.example</domain>'
        $file = Join-Path $TestDrive 'hostile.xml'
        Set-Content -LiteralPath $file -Value $xml -Encoding utf8
        $html = Import-DmarcReport -LiteralPath $file | ConvertTo-DmarcReportHtml -Offline
        $html | Should -Not -Match '<img src=x'
        $html | Should -Match '&lt;img src=x onerror=alert\(1\)&gt;\.example'
    }

    It 'takes the recommendations of Get-DmarcPolicyImpact -Summary' {
        $html = Get-ReportSet ready | Get-DmarcPolicyImpact -Summary -Offline | ConvertTo-DmarcReportHtml
        $html | Should -Match 'p=quarantine; t=y'
        $html | Should -Match 'None: no source of yours would lose mail'
    }

    It 'writes DmarcReportHtmlInvalidInput for other input and still writes the page' {
        $html = @(42) + @(Get-ReportSet ready) | ConvertTo-DmarcReportHtml -Offline -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcReportHtmlInvalidInput,*'
        $html | Should -Match '<h2>example\.com'
    }
}

Describe 'From reports to p=reject' {
    It 'names the source to fix, shows it in the page, and says Ready with the next record once new reports show it fixed' {
        $before = Get-ReportSet unaligned-esp | Get-DmarcPolicyImpact -Policy reject -Server $Server -Summary
        $before.Verdict | Should -Be FixFirst
        @($before.Sources.Where({ $_.Verdict -eq 'FixFirst' })).Source | Should -Be 'amazonses.com (us-east-1)'
        ($before | ConvertTo-DmarcReportHtml) | Should -Match 'amazonses\.com \(us-east-1\)</td>'
        $after = Get-ReportSet unaligned-esp, esp-fixed | Get-DmarcPolicyImpact -Policy reject -Server $Server -Summary -Since 2025-12-06
        $after.Verdict | Should -Be Ready
        $after.NextRecord | Should -Be 'p=quarantine; t=y'
        $after.SourcesToFix | Should -Be 0
    }
}
