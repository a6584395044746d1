# Every example of every help page (docs/cmdlets/*.md) runs as a user types it after Import-Module ./MailAuth.psd1, in
# real pwsh, against the test infrastructure only: a Knot DNS server serving tests/data/zones plus the help examples'
# own zones (tests/data/help-examples/zones: example.com, example.net, example.co.uk, domainname.com), the SES, S3 and
# Route 53 stand-ins and a Dovecot mailbox, set as the cmdlets' defaults through $PSDefaultParameterValues. Each
# example runs in a working folder holding the files it names (a signed ./message.eml, ./reports, CSV files, ...).
# An example passes when it runs without a terminating error and without any error record, except the ones listed in
# $ExpectedError for examples that show an error on purpose; errors that say the example itself is broken (binding,
# unknown command, parse errors) fail it always.
# Run from the repository root after ./build.ps1: Invoke-Pester ./tests/Pester (Pester 5.7.1 or 6.2.0). Needs root (Dovecot).

BeforeDiscovery {
    $pages = Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../../docs/cmdlets') -Filter '*-*.md' | Sort-Object Name
    $script:Examples = foreach ($page in $pages) {
        $lines = [System.IO.File]::ReadAllLines($page.FullName)
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^### Example (\d+): (.+)$') { continue }
            $number = [int]$Matches[1]
            $title = $Matches[2].Trim()
            $open = $i + 1
            while ($open -lt $lines.Count -and $lines[$open] -ne '```powershell') { $open++ }
            $close = $open + 1
            while ($close -lt $lines.Count -and $lines[$close] -ne '```') { $close++ }
            @{
                Cmdlet = $page.BaseName
                Number = $number
                Title  = $title
                Code   = ($lines[($open + 1)..($close - 1)] -join "`n")
            }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-MailAuth

    $zones = @{}
    foreach ($file in Get-ChildItem -LiteralPath (Get-TestDataPath help-examples zones) -Filter '*.zone') {
        $zones[$file.BaseName] = Get-Content -Raw -LiteralPath $file.FullName
    }
    $script:Dns = Start-TestDnsServer -ExtraZone $zones
    # Publish-Route53Change changes the zone it publishes to: a Knot of its own serves that example.com, as it is before
    # the examples' changes (SPF "v=spf1 -all", no MAIL FROM, no DMARC record), so the other examples see theirs unchanged.
    $published = $zones['example.com'] -replace '(?m)^@ IN TXT "v=spf1 [^"]*"', '@ IN TXT "v=spf1 -all"' -replace '(?m)^(_dmarc|mail|bounce) IN .*$', ''
    $script:PublishDns = Start-TestDnsServer -ExtraZone @{ 'example.com' = $published }
    $script:Route53 = Start-TestRoute53Server -DnsServer $script:PublishDns -Zone example.com -PendingPolls 0

    # SES knows example.com in three regions (us-east-1 answering from the DNS as SES verifies, so Set-SesMailFromDomain
    # can change it) and example.net; the S3 bucket of Receive-DmarcReport's example holds two report mails.
    $script:Ses = Start-TestSesServer
    foreach ($region in 'ap-northeast-1', 'eu-south-1') {
        $Ses.Server.SetIdentity('example.com', $region, [MailAuth.Tests.Infrastructure.SesTestServer]::IdentityJson('example.com', 'SUCCESS', 'SUCCESS'))
    }
    $Ses.Server.SetIdentity('example.net', 'us-east-1', [MailAuth.Tests.Infrastructure.SesTestServer]::IdentityJson('example.net', 'SUCCESS'))
    $Ses.Server.AddVerifyingIdentity('example.com', 'us-east-1', $Dns.Server)
    $script:S3 = Start-TestS3Server -PageSize 2
    $S3.Server.Put('example-inbound-mail', 'dmarc/0001', [System.IO.File]::ReadAllBytes((Get-TestDataPath reports google-report.eml)), [datetime]::UtcNow.AddDays(-1))
    $S3.Server.Put('example-inbound-mail', 'dmarc/0002', [System.IO.File]::ReadAllBytes((Get-TestDataPath reports yahoo-report.eml)), [datetime]::UtcNow.AddDays(-2))
    $script:Imap = Start-TestImapServer
    $null = Add-TestImapMessage -Server $Imap -Message 'google-report.eml', 'yahoo-report.eml', 'rfc9990-report.eml'
    $null = Add-TestImapMessage -Server $Imap -Folder Processed

    # The profiles the examples name (prod, mail-admin) hold the stand-ins' test keys, like ses-test.
    $script:SavedCredentialsFile = $env:AWS_SHARED_CREDENTIALS_FILE
    $env:AWS_SHARED_CREDENTIALS_FILE = $Ses.CredentialsFile
    $credentials = Get-Content -Raw -LiteralPath $Ses.CredentialsFile
    $testProfile = [regex]::Match($credentials, '(?ms)^\[ses-test\]\s*\n(.*?)(?=^\[|\z)').Groups[1].Value.TrimEnd()
    foreach ($name in 'prod', 'mail-admin') {
        if ($credentials -notmatch "(?m)^\[$name\]") { Add-Content -LiteralPath $Ses.CredentialsFile -Value "`n[$name]`n$testProfile" }
    }

    # Where the examples point at a real server by name, the test's stand-ins answer instead (the one place an example's
    # text is changed before it runs): RFC 5737's 192.0.2.53 as "your DNS server", Route 53's name server and zone id,
    # and the IMAP server.
    $script:StandIn = [ordered]@{
        '192.0.2.53'            = $Dns.Server
        'ns-123.awsdns-15.com'  = $PublishDns.Server
        'Z0123456789ABCDEFGHIJ' = $Route53.HostedZoneId
        'imap.example.com'      = $Imap.Server
    }

    # Examples that show an error on purpose, keyed '<Cmdlet> <N>', with the ErrorIds they may write (wildcards) and
    # why; none do today (the -WhatIf examples write no error). There is no skip list: every example runs.
    $script:ExpectedError = @{
    }
    # Error ids that say the example itself is broken; never expected.
    $script:BrokenExample = 'ParameterBindingException*', 'ParameterArgumentValidationError*', 'ParameterArgumentTransformationError*',
        'MissingArgument*', 'NamedParameterNotFound*', 'PositionalParameterNotFound*', 'AmbiguousParameterSet*', 'InputObjectNotBound*',
        'MissingMandatoryParameter*', 'CommandNotFoundException*', 'ParseException*', 'VariableIsUndefined*', 'InvokeMethodOnNull*'

    $defaults = @{}
    foreach ($command in Get-Command -Module MailAuth) {
        if ($command.Parameters.ContainsKey('Server')) { $defaults["$($command.Name):Server"] = $Dns.Server }
        if ($command.Parameters.ContainsKey('EndpointUrl')) {
            $defaults["$($command.Name):EndpointUrl"] = $Ses.EndpointUrl
            $defaults["$($command.Name):ProfileName"] = 'ses-test'
        }
    }
    $defaults['Publish-Route53Change:Server'] = $PublishDns.Server
    $defaults['Publish-Route53Change:EndpointUrl'] = $Route53.EndpointUrl
    $defaults['Receive-DmarcReport:EndpointUrl'] = $S3.EndpointUrl
    $defaults['Receive-DmarcReport:Port'] = $Imap.ImapsPort
    $defaults['Receive-DmarcReport:SkipCertificateCheck'] = $true
    $script:SavedDefaults = $global:PSDefaultParameterValues
    $global:PSDefaultParameterValues = $defaults

    # The working folder and the home folder (~) with the files the examples name.
    $script:Work = Join-Path $TestDrive 'work'
    $script:HomeFolder = Join-Path $TestDrive 'home'
    $reports = Get-TestDataPath reports
    $null = New-Item -ItemType Directory -Path $Work, "$Work/reports", "$Work/mail", "$Work/inbox", "$HomeFolder/Downloads"
    foreach ($name in 'google.com!example.com!1700006400!1700092799.zip', 'yahoo-draft-example.com-1700006400.xml', 'rfc9990-example.com.xml',
        'enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz', 'microsoft-rfc7489-example.com.xml') {
        Copy-Item -LiteralPath (Join-Path $reports $name) -Destination "$Work/reports"
    }
    Copy-Item -LiteralPath (Join-Path $reports 'google.com!example.com!1700006400!1700092799.zip') -Destination $Work
    foreach ($destination in $Work, "$HomeFolder/Downloads") {
        Copy-Item -LiteralPath (Join-Path $reports 'enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz') -Destination $destination
    }
    Copy-Item -LiteralPath (Join-Path $reports 'google-report.eml') -Destination "$Work/Report domain example.com [1].eml"

    # A message from example.com as a receiver saved it: signed by example.com (s1, the rsa2048 test key) and with the
    # receiver's Authentication-Results on top; the same message sent through SES, signed with an Easy DKIM token's key.
    $letter = [System.Text.Encoding]::ASCII.GetBytes(([System.IO.File]::ReadAllText((Get-TestDataPath dkim messages plain.eml)) -replace 'alice@dkim\.test', 'alice@example.com' -replace '@dkim\.test>', '@example.com>'))
    $signed = New-SignedTestMessage $letter -Domain example.com -Selector s1
    $received = [System.Text.Encoding]::ASCII.GetBytes("Return-Path: <alice@example.com>`r`nAuthentication-Results: mx.google.com; dkim=pass header.i=@example.com header.s=s1; spf=pass smtp.mailfrom=alice@example.com; dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com`r`n") + $signed
    [System.IO.File]::WriteAllBytes("$Work/message.eml", $received)
    [System.IO.File]::WriteAllBytes("$Work/mail/first.eml", $received)
    [System.IO.File]::WriteAllBytes("$Work/mail/second.eml", $signed)
    [System.IO.File]::WriteAllBytes("$Work/mail/forwarded.eml", $signed + [System.Text.Encoding]::ASCII.GetBytes("-- `r`nSent through a forwarder that adds this footer.`r`n"))
    [System.IO.File]::WriteAllBytes("$Work/inbox/msg[1].eml", $signed)
    [System.IO.File]::WriteAllBytes("$Work/ses-test.eml", (New-SignedTestMessage $letter -Domain example.com -Selector eogp72tvvmnugysm4vjttzghjnmzww36 -Key ses.key))
    # The forwarded letter of arc.test.zone: news.arc.test signs, the list adds a footer (breaking that signature) and seals.
    $original = New-SignedTestMessage news.eml -Domain news.arc.test -Selector s1
    $footer = [System.Text.Encoding]::ASCII.GetBytes("-- `r`nmembers@lists.arc.test: unsubscribe at lists.arc.test`r`n")
    $sealed = Add-TestArcSet -Message ($original + $footer) -Sealer lists.arc.test -Server $Dns.Server `
        -Results 'dkim=pass header.d=news.arc.test; spf=pass smtp.mailfrom=news.arc.test; dmarc=pass header.from=news.arc.test'
    [System.IO.File]::WriteAllBytes("$Work/list-message.eml", $sealed)
    [System.IO.File]::WriteAllBytes("$Work/from-the-list.eml", $sealed)

    Copy-Item -LiteralPath (Get-TestDataPath help-examples public_suffix_list.dat) -Destination $Work
    Set-Content -LiteralPath "$Work/domains.txt" -Value 'example.com', 'example.net'
    Set-Content -LiteralPath "$Work/records.csv" -Value 'Name,Type,Value,Ttl,Priority', 'example.com,MX,mx1.example.com,3600,10', '_dmarc.example.com,TXT,v=DMARC1; p=none; rua=mailto:dmarc@example.com,3600,'
    Set-Content -LiteralPath "$Work/changes.csv" -Value 'Action,Name,Type,OldValue,NewValue,Ttl', 'Add,bounce.example.com,TXT,,v=spf1 include:amazonses.com ~all,300'
    Set-Content -LiteralPath "$Work/received.csv" -Value 'Path,ClientIP,MailFrom', './message.eml,192.0.2.1,alice@example.com', './ses-test.eml,23.251.234.8,bounce@mail.example.com', './from-the-list.eml,198.51.100.7,members-bounces@lists.arc.test'
    Set-Content -LiteralPath "$Work/connections.csv" -Value 'IPAddress,MailFrom,Helo', '192.0.2.10,bounce@example.com,mx1.example.com', '198.51.100.1,news@example.net,mx1.example.net'
}

AfterAll {
    $global:PSDefaultParameterValues = $script:SavedDefaults
    $env:AWS_SHARED_CREDENTIALS_FILE = $script:SavedCredentialsFile
    Stop-TestImapServer $script:Imap
    Stop-TestSesServer $script:S3
    Stop-TestSesServer $script:Ses
    Stop-TestRoute53Server $script:Route53
    Stop-TestDnsServer $script:PublishDns
    Stop-TestDnsServer $script:Dns
}

Describe 'Help examples' {
    It '<Cmdlet> example <Number>: <Title>' -ForEach $Examples {
        $code = $Code
        foreach ($name in $StandIn.Keys) { $code = $code.Replace($name, $StandIn[$name]) }
        $example = [scriptblock]::Create($code)
        # A variable the example uses but does not set is an error in it, as strict mode says.
        Set-StrictMode -Version 1

        # What a person at the prompt has besides the module: Get-Credential answers with the test mailbox's user
        # (as the person would type it), and It runs its test block (the examples that are Pester tests).
        function Get-Credential { param([Parameter(Position = 0)] [string] $UserName) $Imap.Credential }
        function It { param([Parameter(Position = 0)] [string] $Name, [Parameter(Position = 1)] [scriptblock] $Test) & $Test }

        $provider = Get-PSProvider FileSystem
        $savedHome = $provider.Home
        $provider.Home = $HomeFolder
        Push-Location -LiteralPath $Work
        try {
            $output = & $example 2>&1 | ForEach-Object { $_ }
        }
        finally {
            Pop-Location
            $provider.Home = $savedHome
        }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $rendered = $output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String -Width 120
        $key = "$Cmdlet $Number"
        $allowed = if ($ExpectedError.ContainsKey($key)) { $ExpectedError[$key] } else { @() }
        foreach ($e in $errors) {
            $id = $e.FullyQualifiedErrorId
            $broken = @($BrokenExample | Where-Object { $id -like $_ })
            $broken | Should -BeNullOrEmpty -Because "the example must run as written: $id $($e.Exception.Message)"
            @($allowed | Where-Object { $id -like $_ }) | Should -Not -BeNullOrEmpty -Because "the example should run without errors: $id $($e.Exception.Message)"
        }
    }
}
