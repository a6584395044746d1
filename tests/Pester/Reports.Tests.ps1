# Import-DmarcReport, Get-DmarcReportSummary and Test-MailDomain as a user runs them.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0).
# The file starts its own Knot DNS server over tests/data/zones (TestSupport.psm1) and stops it afterwards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth
    $script:Dns = Start-TestDnsServer
    $script:Server = $script:Dns.Server
    $script:Reports = Get-TestDataPath reports
    $script:Google = Join-Path $script:Reports 'google.com!example.com!1700006400!1700092799.xml'
}

AfterAll {
    Stop-TestDnsServer $script:Dns
}

Describe 'Import-DmarcReport' {
    It 'reads a Google-style RFC 7489 report' {
        $report = Import-DmarcReport -LiteralPath $Google
        $report.OrgName | Should -Be 'google.com'
        $report.Records.Count | Should -Be 4
        $report.Begin | Should -Be ([datetime]::new(2023, 11, 15, 0, 0, 0, [DateTimeKind]::Utc))
    }

    It 'counts a report once when it is read twice in one run (the .xml beside the .zip it came in)' {
        $folder = Join-Path $TestDrive 'twice'
        $null = New-Item -ItemType Directory -Path $folder
        Copy-Item -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') -Destination $folder
        Copy-Item -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.zip') -Destination $folder
        $reports = @(Import-DmarcReport -LiteralPath $folder -Verbose 4>&1)
        $verbose = @($reports | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        @($reports | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 1
        ($verbose.Message -match 'Left out the report google\.com') | Should -Not -BeNullOrEmpty
        @(Import-DmarcReport -LiteralPath $folder -Expand).Count | Should -Be 4
        (Import-DmarcReport -LiteralPath $folder | Get-DmarcReportSummary | Measure-Object -Property MessageCount -Sum).Sum |
            Should -Be ((Import-DmarcReport -LiteralPath (Get-TestDataPath reports 'google.com!example.com!1700006400!1700092799.xml') | Get-DmarcReportSummary | Measure-Object -Property MessageCount -Sum).Sum)
    }

    It 'shows how far a folder import is: file i of N, then completed' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-RepositoryPath MailAuth.psd1)).AddStatement().
                AddCommand('Import-DmarcReport').AddParameter('LiteralPath', (Get-TestDataPath reports rollout ready)).AddParameter('Recurse')
            $reports = $ps.Invoke()
            $records = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }
        $count = @(Get-ChildItem -LiteralPath (Get-TestDataPath reports rollout ready) -Recurse -File -Filter *.xml).Count
        $reports.Count | Should -Be $count
        $records | Where-Object { $_.StatusDescription -like "1 of $($count):*" } | Should -HaveCount 1
        $records | Where-Object { $_.StatusDescription -like "$($count) of $($count):*" } | Should -HaveCount 1
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'reads every container: <File>' -ForEach @(
        @{ File = 'google.com!example.com!1700006400!1700092799.zip' }
        @{ File = 'enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz' }
        @{ File = 'google-report.eml' }
        @{ File = 'yahoo-report.eml' }
        @{ File = 'rfc9990-report.eml' }
    ) {
        Import-DmarcReport -LiteralPath (Join-Path $Reports $File) | Should -HaveCount 1
    }

    It 'streams flat rows that group and export' {
        $rows = Import-DmarcReport -LiteralPath $Google -Expand
        $rows | Should -HaveCount 4
        ($rows | Group-Object SourceIP).Count | Should -Be 4
        $csv = $rows | ConvertTo-Csv -NoTypeInformation
        $csv[0] | Should -Match 'SourceIP'
    }

    It 'takes files from Get-ChildItem' {
        Get-ChildItem -LiteralPath $Reports -Filter '*.zip' | Import-DmarcReport -ErrorAction SilentlyContinue |
            Should -Not -BeNullOrEmpty
    }

    It 'refuses <File> with <ErrorId> and goes on' -ForEach @(
        @{ File = 'xxe.xml'; ErrorId = 'DmarcReportDtdProhibited' }
        @{ File = 'billion-laughs.xml'; ErrorId = 'DmarcReportDtdProhibited' }
        @{ File = 'invalid-utf8.xml'; ErrorId = 'DmarcReportInvalidEncoding' }
        @{ File = 'not-a-report.xml'; ErrorId = 'DmarcReportNotAggregateReport' }
        @{ File = 'unsupported-encoding-report.xml'; ErrorId = 'DmarcReportUnsupportedEncoding' }
    ) {
        $out = Import-DmarcReport -LiteralPath (Join-Path $Reports $File), $Google -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    }

    It 'imports every good file when the files before it are hostile' {
        # An .eml whose report part has no body, a zip whose first entry claims LZMA (method 14), and a gzip report
        # whose <org_name> alone is 8 MiB: each is an error for that file, and the good file after them imports.
        $dir = Join-Path $TestDrive 'hostile'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Set-Content -LiteralPath (Join-Path $dir 'a-empty-part.eml') -NoNewline -Value (
            "From: dmarc@receiver.example`r`nTo: rua@example.com`r`nSubject: Report`r`nMIME-Version: 1.0`r`n" +
            "Content-Type: application/xml; name=`"r.xml`"`r`nContent-Disposition: attachment; filename=`"r.xml`"`r`n")
        $zipPath = Join-Path $dir 'b-lzma.zip'
        $zip = [IO.Compression.ZipFile]::Open($zipPath, [IO.Compression.ZipArchiveMode]::Create)
        [IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $Google, 'bad.xml', [IO.Compression.CompressionLevel]::NoCompression) | Out-Null
        $zip.Dispose()
        $bytes = [IO.File]::ReadAllBytes($zipPath)
        $bytes[8] = 14
        $central = [Text.Encoding]::Latin1.GetString($bytes).IndexOf("PK`u{1}`u{2}", [StringComparison]::Ordinal)
        $bytes[$central + 10] = 14
        [IO.File]::WriteAllBytes($zipPath, $bytes)
        $file = [IO.File]::Create((Join-Path $dir 'c-huge-org-name.xml.gz'))
        $gz = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Fastest)
        $start = [Text.Encoding]::ASCII.GetBytes('<?xml version="1.0"?><feedback><report_metadata><org_name>')
        $gz.Write($start, 0, $start.Length)
        # Two letters at random in a 40 KB block: repeats of it lie beyond deflate's 32 KB window, so it compresses
        # about 6 times, well within the compression-ratio limit.
        $random = [Random]::new(13)
        $block = [byte[]]::new(40KB)
        $random.NextBytes($block)
        for ($i = 0; $i -lt $block.Length; $i++) { $block[$i] = 97 + ($block[$i] -band 1) }
        1..205 | ForEach-Object { $gz.Write($block, 0, $block.Length) }
        $gz.Dispose()
        Copy-Item -LiteralPath $Google -Destination (Join-Path $dir 'd-good.xml')

        $out = Import-DmarcReport -LiteralPath $dir -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -HaveCount 1
        $out.Source | Should -BeLike '*d-good.xml'
        $errs.FullyQualifiedErrorId -replace ',.*' | Should -Be @('DmarcReportNoAttachment', 'DmarcReportUnreadable', 'DmarcReportTooLarge')
    }

    It 'refuses a gzip bomb' {
        # Well-formed XML as far as the reader gets: a report start, then 64 MiB of white space between elements, which
        # compresses about a thousand times; the decompression guard, not the XML reader, must stop it.
        $bomb = Join-Path $TestDrive 'bomb.xml.gz'
        $file = [IO.File]::Create($bomb)
        $gz = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Optimal)
        $start = [Text.Encoding]::ASCII.GetBytes('<?xml version="1.0"?><feedback><report_metadata>')
        $gz.Write($start, 0, $start.Length)
        $block = [byte[]]::new(1MB)
        [Array]::Fill($block, [byte]0x20)
        1..64 | ForEach-Object { $gz.Write($block, 0, $block.Length) }
        $gz.Dispose()
        Import-DmarcReport -LiteralPath $bomb -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'DmarcReportDecompressionLimit,*'
    }
}

Describe 'Get-DmarcReportSummary' {
    It 'sums the messages of every report piped in, one row per source' {
        $rows = Get-ChildItem -LiteralPath $script:Reports -Filter '*.xml' | Import-DmarcReport -ErrorAction SilentlyContinue | Get-DmarcReportSummary
        $rows | Should -Not -BeNullOrEmpty
        ($rows.SourceIP | Select-Object -Unique).Count | Should -Be $rows.Count
    }

    It "counts Google's sender-requirement verdicts per source and says what they mean" {
        $file = Join-Path $script:Reports 'google-sender-requirements.xml'
        $rows = Import-DmarcReport -LiteralPath $file -Expand
        ($rows | Where-Object SenderRequirementCode).SenderRequirementCode | Should -Be @('550-5.7.30', '421-4.7.32')
        ($rows | Where-Object SenderRequirement -eq Dkim).SenderRequirementMeaning | Should -Match 'DKIM'
        $esp = Import-DmarcReport -LiteralPath $file | Get-DmarcReportSummary | Where-Object SourceIP -eq '198.51.100.40'
        $esp.SenderRequirementFailures | Should -Be @('550-5.7.30 Dkim: 12', '421-4.7.32 Alignment: 3')
        ($esp | Format-List | Out-String -Width 80) | Should -Match 'SenderRequirements : 550-5.7.30 Dkim: 12'
    }

    It 'puts the ESP without a custom MAIL FROM first' {
        $first = Import-DmarcReport -LiteralPath $Google | Get-DmarcReportSummary | Select-Object -First 1
        $first.SourceIP | Should -Be '203.0.113.30'
        $first.SpfPassNotAligned | Should -Be 57
        $first.Diagnosis | Should -Match 'custom MAIL FROM'
    }
}

Describe 'Test-MailDomain' {
    It 'passes a domain that meets every requirement, one row per check and a Summary' {
        $rows = Test-MailDomain compliant.ready.test -DkimSelector s2048 -Server $script:Server
        ($rows | Where-Object Check -eq Summary).Status | Should -Be 'Ok'
        $rows | Where-Object Status -in 'Fail', 'Error' | Should -BeNullOrEmpty
        $rows.Check | Should -Contain 'Dmarc.Policy'
        $rows.Check | Should -Contain 'Gmail.Alignment'
    }

    It 'names the check a domain without DMARC fails, for every mailbox provider' {
        $failed = Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $script:Server | Where-Object Status -eq Fail
        $failed.Check | Should -Contain 'Dmarc.Present'
        $failed.Check | Should -Contain 'Gmail.Dmarc'
        $failed.Check | Should -Contain 'Yahoo.Dmarc'
        $failed.Check | Should -Contain 'Microsoft.Dmarc'
        $failed.Check | Should -Contain 'Summary'
    }

    It 'says Error, not Fail, when the DNS could not answer' {
        (Test-MailDomain broken.test -Server $script:Server -DnsRetryCount 0 -ErrorAction SilentlyContinue | Where-Object Check -eq 'Spf.Present').Status | Should -Be 'Error'
    }

    It 'checks the domains of a CSV by property name' {
        $csv = Join-Path $TestDrive 'domains.csv'
        'Domain,Owner', 'compliant.ready.test,mail team', 'nodmarc.ready.test,web team' | Set-Content -LiteralPath $csv
        $summary = Import-Csv -LiteralPath $csv | Test-MailDomain -DkimSelector s2048 -Server $script:Server | Where-Object Check -eq Summary
        $summary | Sort-Object Domain | ForEach-Object { "$($_.Domain)=$($_.Status)" } | Should -Be @('compliant.ready.test=Ok', 'nodmarc.ready.test=Fail')
    }

    It 'rejects a bad domain without stopping the others' {
        $rows = 'bad domain', 'ready.test' | Test-MailDomain -Server $script:Server -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDomainName,*'
        ($rows | Where-Object Check -eq Summary).Domain | Should -Be 'ready.test'
    }
}
