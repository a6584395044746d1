@{
    # Nested (not root) modules, so that PowerShell looks for the cmdlets' help beside the assembly (bin/en-US/),
    # the same in this repository and in the packaged module folder. The loader comes first: it makes
    # bin/Dependencies/ (MailAuth.Core, DnsClient, ...) loadable before PowerShell reads the cmdlet assembly.
    NestedModules        = @('bin/MailAuth.PowerShell.Loader.dll', 'bin/MailAuth.PowerShell.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '6b0f3c55-6a1e-4d8e-9f43-7c2a9e5d1b20'
    Author               = 'MailAuth contributors'
    CompanyName          = 'MailAuth'
    Copyright            = '(c) MailAuth contributors. MIT License.'
    Description          = 'Tells whether your email will authenticate (SPF, DKIM, DMARC, ARC) and what exactly to change when it will not, including Amazon SES sending-domain setup and DMARC aggregate reports.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    TypesToProcess       = @('bin/Types/MailAuth.Types.ps1xml')
    FormatsToProcess     = @(
        'bin/Formats/Common.Format.ps1xml',
        'bin/Formats/Publishing.Format.ps1xml',
        'bin/Formats/Mx.Format.ps1xml',
        'bin/Formats/Spf.Format.ps1xml',
        'bin/Formats/Dkim.Format.ps1xml',
        'bin/Formats/Arc.Format.ps1xml',
        'bin/Formats/Dmarc.Format.ps1xml',
        'bin/Formats/AuthenticationResults.Format.ps1xml',
        'bin/Formats/MessageAuthentication.Format.ps1xml',
        'bin/Formats/Ses.Format.ps1xml',
        'bin/Formats/DmarcReports.Format.ps1xml',
        'bin/Formats/Readiness.Format.ps1xml',
        'bin/Formats/DmarcRollout.Format.ps1xml',
        'bin/Formats/Route53.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Get-MxRecord',
        'Get-SpfRecord',
        'Get-DmarcRecord',
        'Get-DkimRecord',
        'New-DmarcRecord',
        'Test-Spf',
        'Test-SpfAlignment',
        'Test-DkimSignature',
        'Test-DkimAlignment',
        'Test-MailAuthentication',
        'Get-AuthenticationResult',
        'ConvertFrom-AuthenticationResult',
        'Test-ArcChain',
        'New-SesMailFromConfig',
        'New-SesDkimRecord',
        'Get-SesDnsRecord',
        'ConvertTo-DnsZoneFile',
        'ConvertTo-Route53ChangeBatch',
        'Get-SesEmailIdentity',
        'Set-SesMailFromDomain',
        'Test-SesDomainSetup',
        'Import-DmarcReport',
        'Get-DmarcReportSummary',
        'Test-MailDomain',
        'Get-DmarcPolicyImpact',
        'ConvertTo-DmarcReportHtml',
        'Publish-Route53Change',
        'Receive-DmarcReport'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('DMARC', 'SPF', 'DKIM', 'ARC', 'Email', 'AmazonSES', 'DNS', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'First release: record cmdlets, SPF, DKIM, DMARC, SES setup, DMARC reports.'
        }
    }
}
