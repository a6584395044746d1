<#
    What the Pester files share: the repository's paths, and a real Knot DNS server on a free loopback port serving
    the zone files of tests/data/zones with the configuration the xunit fixture uses too
    (tests/data/zones/knot.conf.template). Each file starts the server it needs in BeforeAll and stops it in AfterAll:

        BeforeAll {
            Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
            Import-MailAuth
            $script:Dns = Start-TestDnsServer
            $script:Server = $script:Dns.Server          # '127.0.0.1:<port>', for -Server
        }
        AfterAll { Stop-TestDnsServer $script:Dns }
#>

Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath

function Get-RepositoryPath {
    <# A path inside the repository, from its parts: Get-RepositoryPath tests data zones #>
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Part)
    if (-not $Part) { return $script:RepositoryRoot }
    [System.IO.Path]::Combine([string[]](@($script:RepositoryRoot) + $Part))
}

function Get-TestDataPath {
    <# A file or folder under tests/data: Get-TestDataPath reports google-report.eml #>
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Part)
    Get-RepositoryPath (@('tests', 'data') + $Part)
}

function Import-MailAuth {
    <# Imports the built module from the repository's manifest, as a user does. #>
    $manifest = Get-RepositoryPath 'MailAuth.psd1'
    if (-not (Test-Path (Get-RepositoryPath 'bin' 'MailAuth.PowerShell.dll'))) {
        throw "The module is not built: run ./build.ps1 first."
    }
    Import-Module $manifest -Force -ErrorAction Stop -Global
}

function Get-FreeLoopbackPort {
    <# A port free for both UDP and TCP on 127.0.0.1. #>
    for ($attempt = 0; $attempt -lt 50; $attempt++) {
        $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $port = $udp.Client.LocalEndPoint.Port
        try {
            $tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
            $tcp.Start()
            $tcp.Stop()
            return $port
        }
        catch [System.Net.Sockets.SocketException] { }
        finally { $udp.Dispose() }
    }
    throw 'No free loopback port.'
}

function Get-ZoneSetting {
    <# The settings a zone file asks for in its leading "; knot: " comments. #>
    param([string] $Path)
    foreach ($line in [System.IO.File]::ReadLines($Path)) {
        if (-not $line.StartsWith(';')) { break }
        if ($line.StartsWith('; knot: ')) { $line.Substring(8).Trim() }
    }
}

function Invoke-SoaQuery {
    <# Asks 127.0.0.1:<port> for the SOA of a zone over UDP; returns the answer's bytes, or nothing when none came. #>
    param([int] $Port, [string] $Zone)
    $id = Get-Random -Minimum 1 -Maximum 65535
    $query = [System.Collections.Generic.List[byte]]::new()
    $query.AddRange([byte[]]@(($id -shr 8), ($id -band 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0))
    if ($Zone -ne '.') {
        foreach ($label in $Zone.TrimEnd('.').Split('.')) {
            $bytes = [System.Text.Encoding]::ASCII.GetBytes($label)
            $query.Add([byte]$bytes.Length)
            $query.AddRange($bytes)
        }
    }
    $query.AddRange([byte[]]@(0, 0, 6, 0, 1))
    $udp = [System.Net.Sockets.UdpClient]::new()
    try {
        $udp.Client.ReceiveTimeout = 300
        $null = $udp.Send($query.ToArray(), $query.Count, '127.0.0.1', $Port)
        $from = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Any, 0)
        $answer = $udp.Receive([ref] $from)
        if ($answer.Length -ge 3 -and ($answer[2] -band 0x02)) {
            # Truncated (noudp.test answers every UDP question so): ask again over TCP, length-prefixed (RFC 1035 §4.2.2).
            $tcp = [System.Net.Sockets.TcpClient]::new()
            try {
                $tcp.ReceiveTimeout = 1000
                $tcp.Connect('127.0.0.1', $Port)
                $stream = $tcp.GetStream()
                $stream.Write([byte[]]@(($query.Count -shr 8), ($query.Count -band 0xFF)) + $query.ToArray(), 0, $query.Count + 2)
                $length = [byte[]]::new(2)
                if ($stream.Read($length, 0, 2) -ne 2) { return }
                $answer = [byte[]]::new((([int]$length[0]) -shl 8) -bor $length[1])
                $read = 0
                while ($read -lt $answer.Length) {
                    $n = $stream.Read($answer, $read, $answer.Length - $read)
                    if ($n -le 0) { return }
                    $read += $n
                }
            }
            finally { $tcp.Dispose() }
        }
    }
    catch [System.Net.Sockets.SocketException] { return }
    catch [System.IO.IOException] { return }
    finally { $udp.Dispose() }
    if ($answer.Length -ge 12 -and ((([int]$answer[0]) -shl 8) -bor $answer[1]) -eq $id) { , $answer }
}

function Test-ZoneAnswer {
    <#
        Says whether the server's SOA answer for a zone is what the zone should give: an authoritative NOERROR answer
        for a zone that loads, SERVFAIL for one that does not load on purpose.
    #>
    param([int] $Port, [string] $Zone, [switch] $DoesNotLoad)
    $answer = Invoke-SoaQuery -Port $Port -Zone $Zone
    if (-not $answer) { return $false }
    $rcode = $answer[3] -band 0x0F
    if ($DoesNotLoad) { return $rcode -eq 2 }
    $authoritative = ($answer[2] -band 0x04) -ne 0
    $answers = (([int]$answer[6]) -shl 8) -bor $answer[7]
    return $rcode -eq 0 -and $authoritative -and $answers -ge 1
}

function Start-TestDnsServer {
    <#
        Starts knotd on a free loopback port (or -Port) over a writable copy of tests/data/zones (and any -ExtraZone
        files), waits until every zone answers as it should, and returns the server: Server ('127.0.0.1:<port>'),
        Port, ZoneDirectory, RunDirectory, LogPath and Process. Knot's log goes to LogPath, not into Pester's output.
    #>
    [CmdletBinding()]
    param(
        [int] $Port,
        [hashtable] $ExtraZone = @{},
        [int] $TimeoutSec = 30
    )
    $knotd = (Get-Command knotd -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $knotd -and (Test-Path /usr/sbin/knotd)) { $knotd = '/usr/sbin/knotd' }
    if (-not $knotd) { throw "knotd is not installed: apt-get install knot (.ci/run does this)." }
    if (-not $Port) { $Port = Get-FreeLoopbackPort }

    $run = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-knot-' + [guid]::NewGuid().ToString('N'))
    $zoneDirectory = Join-Path $run 'zones'
    $null = New-Item -ItemType Directory -Path $zoneDirectory -Force
    Copy-Item -Path (Join-Path (Get-TestDataPath zones) '*.zone') -Destination $zoneDirectory
    foreach ($name in $ExtraZone.Keys) { Set-Content -LiteralPath (Join-Path $zoneDirectory "$name.zone") -Value $ExtraZone[$name] }

    $zones = [System.Collections.Generic.List[string]]::new()
    $doesNotLoad = [System.Collections.Generic.HashSet[string]]::new()
    $list = [System.Text.StringBuilder]::new()
    foreach ($file in Get-ChildItem -LiteralPath $zoneDirectory -Filter '*.zone' | Sort-Object Name -CaseSensitive) {
        $zone = if ($file.BaseName -eq 'root') { '.' } else { $file.BaseName }
        $zones.Add($zone)
        $null = $list.AppendLine("  - domain: $zone")
        if ($zone -eq '.') { $null = $list.AppendLine('    file: "root.zone"') }
        foreach ($setting in Get-ZoneSetting $file.FullName) {
            if ($setting -eq 'does-not-load') { $null = $doesNotLoad.Add($zone) } else { $null = $list.AppendLine("    $setting") }
        }
    }
    $conf = (Get-Content -Raw -LiteralPath (Get-TestDataPath zones knot.conf.template)).
        Replace('@RUNDIR@', $run).Replace('@PORT@', [string]$Port).Replace('@ZONEDIR@', $zoneDirectory).Replace('@ZONES@', $list.ToString().TrimEnd())
    $confPath = Join-Path $run 'knot.conf'
    Set-Content -LiteralPath $confPath -Value $conf

    $log = Join-Path $run 'knot.log'
    $process = Start-Process -FilePath $knotd -ArgumentList '-c', $confPath -PassThru -RedirectStandardError $log -RedirectStandardOutput (Join-Path $run 'knot.out')
    $server = [pscustomobject]@{
        PSTypeName    = 'MailAuth.Tests.DnsServer'
        Server        = "127.0.0.1:$Port"
        Port          = $Port
        ZoneDirectory = $zoneDirectory
        RunDirectory  = $run
        ConfigPath    = $confPath
        LogPath       = $log
        Process       = $process
    }

    $pending = [System.Collections.Generic.List[string]]::new($zones)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
    while ($pending.Count -gt 0) {
        if ($process.HasExited) {
            throw "knotd exited with $($process.ExitCode) before it served every zone. Knot's log:`n$(Get-Content -Raw -LiteralPath $log)"
        }
        foreach ($zone in @($pending)) {
            if (Test-ZoneAnswer -Port $Port -Zone $zone -DoesNotLoad:($doesNotLoad.Contains($zone))) { $null = $pending.Remove($zone) }
        }
        if ($pending.Count -eq 0) { break }
        if ([datetime]::UtcNow -gt $deadline) {
            Stop-TestDnsServer $server
            throw "knotd on port $Port did not serve these zones within $TimeoutSec s: $($pending -join ', '). Knot's log:`n$(Get-Content -Raw -LiteralPath $log -ErrorAction SilentlyContinue)"
        }
        Start-Sleep -Milliseconds 100
    }
    $server
}

function Stop-TestDnsServer {
    <# Stops a server from Start-TestDnsServer and removes its files. #>
    param([Parameter(Position = 0)] $Server)
    if (-not $Server) { return }
    if (-not $Server.Process.HasExited) {
        Stop-Process -Id $Server.Process.Id -Force -ErrorAction SilentlyContinue
        $null = $Server.Process.WaitForExit(5000)
    }
    Remove-Item -LiteralPath $Server.RunDirectory -Recurse -Force -ErrorAction SilentlyContinue
}

function Add-TestDnsRecord {
    <#
        Adds resource records (zone-file lines) to a zone of a running server, raises the zone's SOA serial and has
        Knot reload it (knotc), then waits until the server answers with the new serial.
    #>
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $Zone,
        [Parameter(Mandatory)] [string[]] $Record
    )
    $path = Join-Path $Server.ZoneDirectory "$Zone.zone"
    $text = Get-Content -Raw -LiteralPath $path
    $soa = [regex]::Match($text, '(?m)^(@\s+(?:\d+\s+)?IN\s+SOA\s+\S+\s+\S+\s+)(\d+)')
    if (-not $soa.Success) { throw "No SOA line of the form '@ IN SOA mname rname serial ...' in $path." }
    $serial = [long]$soa.Groups[2].Value + 1
    $text = $text.Substring(0, $soa.Groups[2].Index) + $serial + $text.Substring($soa.Groups[2].Index + $soa.Groups[2].Length)
    $text = $text.TrimEnd() + "`n" + ($Record -join "`n") + "`n"
    Set-Content -LiteralPath $path -Value $text -NoNewline
    $knotc = (Get-Command knotc -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $knotc) { $knotc = '/usr/sbin/knotc' }
    $out = & $knotc -c $Server.ConfigPath zone-reload $Zone 2>&1
    if ($LASTEXITCODE -ne 0) { throw "knotc zone-reload $Zone failed: $out" }
    $deadline = [datetime]::UtcNow.AddSeconds(10)
    while ((Get-TestZoneSerial -Port $Server.Port -Zone $Zone) -ne $serial) {
        if ([datetime]::UtcNow -gt $deadline) { throw "Knot did not serve serial $serial of $Zone within 10 s." }
        Start-Sleep -Milliseconds 50
    }
}

function Get-TestZoneSerial {
    <# The SOA serial that the server on 127.0.0.1:<port> gives for a zone. #>
    param([int] $Port, [string] $Zone)
    $answer = Invoke-SoaQuery -Port $Port -Zone $Zone
    if (-not $answer -or $answer.Length -lt 34) { return $null }
    # The SOA answer ends with its RDATA's last 20 bytes: serial, refresh, retry, expire, minimum.
    $at = $answer.Length - 20
    return ([long]$answer[$at] -shl 24) -bor ([long]$answer[$at + 1] -shl 16) -bor ([long]$answer[$at + 2] -shl 8) -bor [long]$answer[$at + 3]
}

function Import-TestInfrastructure {
    <#
        Loads the xunit suites' test infrastructure (MailAuth.Core.Tests.dll: the SES stand-in and its keys), so
        that both suites use one set of stand-ins; builds it first when it is not built yet.
    #>
    if ('MailAuth.Tests.Infrastructure.SesTestServer' -as [type]) { return }
    $find = {
        Get-ChildItem -Path (Get-RepositoryPath tests MailAuth.Core.Tests bin) -Recurse -Filter MailAuth.Core.Tests.dll -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    }
    $dll = & $find
    if (-not $dll) {
        # After ./build.ps1 (the module only) the suite builds what it needs itself.
        $output = & dotnet build (Get-RepositoryPath tests MailAuth.Core.Tests MailAuth.Core.Tests.csproj) --nologo -v q 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Building the test infrastructure failed:`n$($output -join "`n")" }
        $dll = & $find
    }
    Add-Type -Path $dll.FullName
}

function Start-TestSesServer {
    <#
        Starts the SES v2 stand-in (SigV4-verifying, answers from tests/data/ses/responses) on a free loopback port and
        writes a shared credentials file with its profiles (ses-test, ses-expired, ses-wrong-secret). Returns
        EndpointUrl, CredentialsFile, Server (its Requests say whether each signature verified) and Directory.
    #>
    Import-TestInfrastructure
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-ses-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $directory
    $server = [MailAuth.Tests.Infrastructure.SesTestServer]::new()
    [pscustomobject]@{
        EndpointUrl     = $server.EndpointUrl
        CredentialsFile = Get-TestAwsCredentialsFile
        Server          = $server
        Directory       = $directory
    }
}

function Get-TestAwsCredentialsFile {
    <#
        The shared credentials file with the stand-ins' profiles (ses-test, ses-expired, ses-wrong-secret), one per pwsh
        process and kept until it exits: AWSSDK.Core keeps reading the first AWS_SHARED_CREDENTIALS_FILE a process used,
        so every Pester file that talks to a stand-in (SES, Route 53) points at this one.
    #>
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "mailauth-pester-aws-$PID"
    $path = Join-Path $directory 'credentials'
    if (-not (Test-Path -LiteralPath $path)) {
        $null = New-Item -ItemType Directory -Path $directory -Force
        $null = [MailAuth.Tests.Infrastructure.SesTestServer]::WriteCredentialsFile($directory)
    }
    $path
}

function Stop-TestSesServer {
    <# Stops the SES (or S3) stand-in and removes its credentials file. #>
    param([Parameter(Position = 0)] $Ses)
    if (-not $Ses) { return }
    $Ses.Server.Dispose()
    Remove-Item -LiteralPath $Ses.Directory -Recurse -Force -ErrorAction SilentlyContinue
}

function Start-TestRoute53Server {
    <#
        Starts the Route 53 stand-in (Route53TestServer: SigV4-verifying, Route 53's refusals) on a free loopback port with
        one public hosted zone tied to a zone of a running test DNS server: the zone's record sets are read from the
        server's zone file, and every accepted change batch rewrites that file and has Knot reload it, so DNS serves what
        Route 53 accepted. -PendingPolls: how many GetChange calls answer PENDING before INSYNC. CredentialsFile is the
        process's shared file with the stand-ins' profiles (Get-TestAwsCredentialsFile). Returns EndpointUrl,
        CredentialsFile, HostedZoneId, Zone, Server (its Requests say whether each signature verified) and Directory.
    #>
    param(
        [Parameter(Mandatory)] $DnsServer,
        [Parameter(Mandatory)] [string] $Zone,
        [int] $PendingPolls = 1
    )
    Import-TestInfrastructure
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-r53-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $directory
    $server = [MailAuth.Tests.Infrastructure.Route53TestServer]::new()
    $server.PendingPolls = $PendingPolls
    $id = $server.AddZone($Zone, (Join-Path $DnsServer.ZoneDirectory "$Zone.zone"), $DnsServer.ConfigPath, $false)
    [pscustomobject]@{
        EndpointUrl     = $server.EndpointUrl
        CredentialsFile = Get-TestAwsCredentialsFile
        HostedZoneId    = $id
        Zone            = $Zone
        Server          = $server
        Directory       = $directory
    }
}

function Stop-TestRoute53Server {
    <# Stops the Route 53 stand-in and removes its credentials file. #>
    param([Parameter(Position = 0)] $Route53)
    if (-not $Route53) { return }
    $Route53.Server.Dispose()
    Remove-Item -LiteralPath $Route53.Directory -Recurse -Force -ErrorAction SilentlyContinue
}

function Invoke-DkimpyTool {
    <#
        Runs dkimpy (Debian's python3-dkim) through tests/data/dkim/dkimpy_tool.py, the independent implementation the
        xunit suites sign and verify with: the message bytes go to its standard input, its output comes back as bytes.
    #>
    param([Parameter(Mandatory)] [string[]] $Argument, [byte[]] $InputBytes = [byte[]]::new(0))
    $start = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
    $start.ArgumentList.Add((Get-TestDataPath dkim dkimpy_tool.py))
    foreach ($a in $Argument) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $output = [System.IO.MemoryStream]::new()
    $copy = $process.StandardOutput.BaseStream.CopyToAsync($output)
    $errors = $process.StandardError.ReadToEndAsync()
    $process.StandardInput.BaseStream.Write($InputBytes, 0, $InputBytes.Length)
    $process.StandardInput.Close()
    $copy.Wait()
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) { throw "dkimpy_tool.py $($Argument -join ' ') failed: $($errors.Result)" }
    , $output.ToArray()
}

function New-SignedTestMessage {
    <#
        Signs a message of tests/data/dkim/messages (or given bytes) with dkimpy, as a sending server does, with a
        test key whose public half Knot serves (rsa2048.key: dkim.test s=rsa2048 and news.arc.test s=s1). Returns the bytes.
    #>
    param(
        [Parameter(Mandatory)] $Message,
        [Parameter(Mandatory)] [string] $Domain,
        [Parameter(Mandatory)] [string] $Selector,
        [string] $Key = 'rsa2048.key',
        [string] $Canonicalization = 'relaxed/relaxed'
    )
    $bytes = if ($Message -is [byte[]]) { $Message } else { [System.IO.File]::ReadAllBytes((Get-TestDataPath dkim messages $Message)) }
    Invoke-DkimpyTool -Argument 'sign', (Get-TestDataPath dkim $Key), $Selector, $Domain, $Canonicalization, 'rsa-sha256' -InputBytes $bytes
}

function Add-TestArcSet {
    <#
        Seals a message as an intermediary does (dkimpy's arc_sign, the arc test key, s=arc): first its own
        Authentication-Results with what it saw, then the ARC set. Returns the bytes.
    #>
    param(
        [Parameter(Mandatory)] [byte[]] $Message,
        [Parameter(Mandatory)] [string] $Sealer,
        [Parameter(Mandatory)] [string] $Results,
        [Parameter(Mandatory)] [string] $Server
    )
    $header = [System.Text.Encoding]::ASCII.GetBytes("Authentication-Results: $Sealer; $Results`r`n")
    Invoke-DkimpyTool -Argument 'arc-sign', (Get-TestDataPath dkim arc.key), 'arc', $Sealer, $Sealer, $Server -InputBytes ($header + $Message)
}

function Format-ForWidth {
    <# Renders objects with their default view at a terminal width, as a person at that terminal sees them. #>
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $InputObject,
        [Parameter(Mandatory)] [int] $Width
    )
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end { $items | Out-String -Width $Width }
}

function Start-TestImapServer {
    <#
        Starts a real Dovecot (Debian's dovecot-imapd) as root from tests/data/imap/dovecot.conf.template on two free
        loopback ports (IMAPS and IMAP with STARTTLS), with a self-signed certificate (openssl), one passwd-file user
        and an empty Maildir owned by the 'dovecot' user. Returns Server ('127.0.0.1'), ImapsPort, ImapPort, Credential,
        MailDirectory (the user's Maildir), RunDirectory, ConfigPath, LogPath and Process.
    #>
    [CmdletBinding()]
    param([int] $TimeoutSec = 30, [string] $UserName = 'reports', [string] $Password = 'Rep0rts-Test-Only')
    $dovecot = if (Test-Path /usr/sbin/dovecot) { '/usr/sbin/dovecot' } else { (Get-Command dovecot -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
    if (-not $dovecot) { throw 'dovecot is not installed: apt-get install dovecot-imapd (.ci/run does this).' }
    $run = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-imap-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $run, (Join-Path $run 'mail'), (Join-Path $run 'home') -Force
    $uid = [int](& id -u dovecot)
    $gid = [int](& id -g dovecot)
    $out = & openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=localhost' -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' `
        -keyout (Join-Path $run 'key.pem') -out (Join-Path $run 'cert.pem') 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openssl could not make the test certificate: $out" }
    Set-Content -LiteralPath (Join-Path $run 'users') -Value "${UserName}:{PLAIN}${Password}:${uid}:${gid}::$run/home/${UserName}::nodelay=yes"
    $imapPort = Get-FreeLoopbackPort
    do { $imapsPort = Get-FreeLoopbackPort } while ($imapsPort -eq $imapPort)
    $conf = (Get-Content -Raw -LiteralPath (Get-TestDataPath imap dovecot.conf.template)).
        Replace('@RUNDIR@', $run).Replace('@IMAPPORT@', [string]$imapPort).Replace('@IMAPSPORT@', [string]$imapsPort).Replace('@UID@', [string]$uid).Replace('@GID@', [string]$gid)
    $confPath = Join-Path $run 'dovecot.conf'
    Set-Content -LiteralPath $confPath -Value $conf
    $maildir = Join-Path $run "mail/$UserName"
    foreach ($sub in 'cur', 'new', 'tmp') { $null = New-Item -ItemType Directory -Path (Join-Path $maildir $sub) -Force }
    $null = & chown -R "${uid}:${gid}" (Join-Path $run 'mail') (Join-Path $run 'home')
    $log = Join-Path $run 'dovecot.log'
    $process = Start-Process -FilePath $dovecot -ArgumentList '-F', '-c', $confPath -PassThru -RedirectStandardError (Join-Path $run 'dovecot.err') -RedirectStandardOutput (Join-Path $run 'dovecot.out')
    $server = [pscustomobject]@{
        PSTypeName    = 'MailAuth.Tests.ImapServer'
        Server        = '127.0.0.1'
        ImapsPort     = $imapsPort
        ImapPort      = $imapPort
        Credential    = [pscredential]::new($UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
        MailDirectory = $maildir
        RunDirectory  = $run
        ConfigPath    = $confPath
        LogPath       = $log
        Uid           = $uid
        Gid           = $gid
        Process       = $process
    }
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        if ($process.HasExited) {
            throw "dovecot exited with $($process.ExitCode) before it listened. Its output:`n$(Get-Content -Raw -LiteralPath (Join-Path $run 'dovecot.err') -ErrorAction SilentlyContinue)`n$(Get-Content -Raw -LiteralPath $log -ErrorAction SilentlyContinue)"
        }
        if ((Test-TestImapGreeting -Port $imapPort) -and (Test-TestImapGreeting -Port $imapsPort -Tls)) { break }
        if ([datetime]::UtcNow -gt $deadline) {
            Stop-TestImapServer $server
            throw "dovecot did not answer on 127.0.0.1:$imapPort/$imapsPort within $TimeoutSec s."
        }
        Start-Sleep -Milliseconds 100
    }
    $server
}

function Test-TestImapGreeting {
    <# Whether 127.0.0.1:<port> greets with '* OK' (through TLS with -Tls). #>
    param([int] $Port, [switch] $Tls)
    $tcp = [System.Net.Sockets.TcpClient]::new()
    try {
        $tcp.ReceiveTimeout = 2000
        $tcp.Connect('127.0.0.1', $Port)
        $stream = $tcp.GetStream()
        if ($Tls) {
            $ssl = [System.Net.Security.SslStream]::new($stream, $false, { $true })
            $ssl.AuthenticateAsClient('localhost')
            $stream = $ssl
        }
        $buffer = [byte[]]::new(256)
        $n = $stream.Read($buffer, 0, $buffer.Length)
        return $n -gt 4 -and [System.Text.Encoding]::ASCII.GetString($buffer, 0, $n).StartsWith('* OK')
    }
    catch { return $false }
    finally { $tcp.Dispose() }
}

function Stop-TestImapServer {
    <# Stops a server from Start-TestImapServer and removes its files. #>
    param([Parameter(Position = 0)] $Server)
    if (-not $Server) { return }
    if (-not $Server.Process.HasExited) {
        Stop-Process -Id $Server.Process.Id -ErrorAction SilentlyContinue
        if (-not $Server.Process.WaitForExit(5000)) { Stop-Process -Id $Server.Process.Id -Force -ErrorAction SilentlyContinue }
    }
    Remove-Item -LiteralPath $Server.RunDirectory -Recurse -Force -ErrorAction SilentlyContinue
}

function New-TestReportMail {
    <#
        A report mail as a receiver sends it (RFC 9990 §2.5): multipart/mixed with a short text part and the report file
        attached in base64, as bytes. -Attachment is a file of tests/data/reports (or any path).
    #>
    param(
        [Parameter(Mandatory)] [string] $Attachment,
        [string] $From = 'dmarc-reports@receiver.example',
        [string] $Subject = 'Report domain: example.com',
        [string] $MessageId = "<$([guid]::NewGuid().ToString('N'))@receiver.example>"
    )
    $path = if (Test-Path -LiteralPath $Attachment) { $Attachment } else { Get-TestDataPath reports $Attachment }
    $name = [System.IO.Path]::GetFileName($path)
    $type = if ($name.EndsWith('.zip')) { 'application/zip' } elseif ($name.EndsWith('.gz')) { 'application/gzip' } else { 'text/xml' }
    $body = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($path), [System.Base64FormattingOptions]::InsertLineBreaks)
    $boundary = 'b-' + [guid]::NewGuid().ToString('N')
    $text = @(
        "From: $From", 'To: dmarc@example.com', "Subject: $Subject", 'Date: Thu, 16 Nov 2023 09:12:44 +0000', "Message-ID: $MessageId",
        'MIME-Version: 1.0', "Content-Type: multipart/mixed; boundary=`"$boundary`"", '',
        "--$boundary", 'Content-Type: text/plain; charset="utf-8"', '', 'This is an aggregate report.', '',
        "--$boundary", "Content-Type: $type; name=`"$name`"", 'Content-Transfer-Encoding: base64', "Content-Disposition: attachment; filename=`"$name`"", '',
        $body, "--$boundary--", ''
    ) -join "`r`n"
    , [System.Text.Encoding]::ASCII.GetBytes($text)
}

function Add-TestImapMessage {
    <#
        Delivers messages into a folder of the test server's Maildir as a local delivery agent does (a file in new/, owned
        by the mail user), with the given received date as the file's time (Dovecot's INTERNALDATE for Maildir).
        -Message is bytes, or a file of tests/data/reports; none creates the folder. Returns the folder's message count.
    #>
    param(
        [Parameter(Mandatory)] $Server,
        [object[]] $Message = @(),
        [string] $Folder = 'INBOX',
        [datetime] $Received = [datetime]::UtcNow
    )
    $dir = Get-TestImapFolderPath $Server $Folder
    foreach ($sub in 'cur', 'new', 'tmp') { $null = New-Item -ItemType Directory -Path (Join-Path $dir $sub) -Force }
    foreach ($m in $Message) {
        $bytes = if ($m -is [byte[]]) { $m } else { [System.IO.File]::ReadAllBytes((Get-TestDataPath reports $m)) }
        $file = Join-Path $dir ('new/{0}.M{1}P{2}.mailauth-test' -f [DateTimeOffset]::UtcNow.ToUnixTimeSeconds(), [guid]::NewGuid().ToString('N'), $PID)
        [System.IO.File]::WriteAllBytes($file, $bytes)
        [System.IO.File]::SetLastWriteTimeUtc($file, $Received.ToUniversalTime())
    }
    $null = & chown -R "$($Server.Uid):$($Server.Gid)" $dir
    Get-TestImapMessageCount -Server $Server -Folder $Folder
}

function Get-TestImapFolderPath {
    <# The Maildir folder of an IMAP folder of the test server (Maildir++: INBOX is the root, others are '.Name'). #>
    param([Parameter(Mandatory)] $Server, [string] $Folder = 'INBOX')
    if ($Folder -eq 'INBOX') { $Server.MailDirectory } else { Join-Path $Server.MailDirectory ".$Folder" }
}

function Get-TestImapMessageCount {
    <# How many messages a folder of the test server holds (its Maildir's new/ and cur/ files not flagged deleted). #>
    param([Parameter(Mandatory)] $Server, [string] $Folder = 'INBOX')
    $dir = Get-TestImapFolderPath $Server $Folder
    @(Get-ChildItem -LiteralPath (Join-Path $dir 'new'), (Join-Path $dir 'cur') -File -ErrorAction SilentlyContinue |
        Where-Object { $_.Name -notmatch ':2,[A-Z]*T' }).Count
}

function Clear-TestImapFolder {
    <# Removes every message of a folder of the test server (between tests). #>
    param([Parameter(Mandatory)] $Server, [string] $Folder = 'INBOX')
    $dir = Get-TestImapFolderPath $Server $Folder
    Get-ChildItem -LiteralPath (Join-Path $dir 'new'), (Join-Path $dir 'cur') -File -ErrorAction SilentlyContinue | Remove-Item -Force
}

function Start-TestS3Server {
    <#
        Starts the S3 stand-in (SigV4-verifying, ListObjectsV2 with continuation tokens of -PageSize keys, GetObject,
        DeleteObject; path-style) on a free loopback port, with the process's shared credentials file of the stand-ins'
        profiles (Get-TestAwsCredentialsFile). Returns EndpointUrl, CredentialsFile, Server (Put, Keys, Requests) and Directory; Stop-TestSesServer stops it.
    #>
    param([int] $PageSize = 2)
    Import-TestInfrastructure
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) ('mailauth-pester-s3-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $directory
    $server = [MailAuth.Tests.Infrastructure.S3TestServer]::new($PageSize)
    [pscustomobject]@{ EndpointUrl = $server.EndpointUrl; CredentialsFile = Get-TestAwsCredentialsFile; Server = $server; Directory = $directory }
}

Export-ModuleMember -Function Get-RepositoryPath, Get-TestDataPath, Import-MailAuth, Get-FreeLoopbackPort, Start-TestDnsServer,
    Stop-TestDnsServer, Add-TestDnsRecord, Get-TestZoneSerial, Start-TestSesServer, Stop-TestSesServer,
    Invoke-DkimpyTool, New-SignedTestMessage, Add-TestArcSet, Format-ForWidth, Start-TestRoute53Server, Stop-TestRoute53Server,
    Start-TestImapServer, Stop-TestImapServer, New-TestReportMail, Add-TestImapMessage, Get-TestImapMessageCount, Clear-TestImapFolder,
    Start-TestS3Server
