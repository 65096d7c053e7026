# Builds the Windows packages of the Taskdeck console (run on Windows, PowerShell 5.1+):
#   packaging\target\app-image\Taskdeck\          app image (Taskdeck.exe)
#   packaging\target\Taskdeck-<version>.msi        installer (default), or .exe with -Type exe
# Same steps as build-linux.sh: a JDK >= 21, mvnw, jlink of the modules in jlink-modules.txt,
# jpackage. Needs the WiX Toolset on PATH for .msi/.exe: WiX 3.x for jpackage of JDK 21-23,
# WiX 3.x or 4/5 for JDK 24+ (dotnet tool install --global wix).
# Not run in this repository's CI (there is no Windows runner); see packaging\README.md.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1 [-Type msi|exe] [-SkipMaven]
param(
  [ValidateSet('msi', 'exe')] [string] $Type = 'msi',
  [switch] $SkipMaven
)
$ErrorActionPreference = 'Stop'
$PkgDir = $PSScriptRoot
$RepoDir = Split-Path $PkgDir -Parent
$OutDir = Join-Path $PkgDir 'target'
$AppTarget = Join-Path $RepoDir 'app\target'

function Get-JavaMajor([string] $jdk) {
  $release = Join-Path $jdk 'release'
  if (-not (Test-Path $release)) { return 0 }
  $line = Select-String -Path $release -Pattern '^JAVA_VERSION="(\d+)' | Select-Object -First 1
  if ($line) { return [int] $line.Matches[0].Groups[1].Value } else { return 0 }
}

# A JDK >= 21: JAVA_HOME, else the newest under the usual install folders.
$jdk = $null
if ($env:JAVA_HOME -and (Test-Path (Join-Path $env:JAVA_HOME 'bin\jpackage.exe')) -and (Get-JavaMajor $env:JAVA_HOME) -ge 21) {
  $jdk = $env:JAVA_HOME
} else {
  $roots = @("$env:ProgramFiles\Java", "$env:ProgramFiles\Eclipse Adoptium", "$env:ProgramFiles\Microsoft", "$env:USERPROFILE\.jdks")
  $jdk = Get-ChildItem -Directory -ErrorAction SilentlyContinue $roots |
    Where-Object { (Test-Path (Join-Path $_.FullName 'bin\jpackage.exe')) -and (Get-JavaMajor $_.FullName) -ge 21 } |
    Sort-Object { Get-JavaMajor $_.FullName } -Descending | Select-Object -First 1 -ExpandProperty FullName
}
if (-not $jdk) { throw 'No JDK 21 or newer found: install Temurin 21+ (adoptium.net) or set JAVA_HOME.' }
$env:JAVA_HOME = $jdk
$major = Get-JavaMajor $jdk
Write-Host "== JDK $major at $jdk"

if (-not $SkipMaven) {
  Push-Location $RepoDir
  try { & .\mvnw.cmd -B -q -DskipTests install -pl app -am; if ($LASTEXITCODE) { throw 'maven build failed' } }
  finally { Pop-Location }
}

$version = ([xml] (Get-Content (Join-Path $RepoDir 'pom.xml'))).project.version -replace '-.*$', ''
$work = Join-Path $OutDir 'work'
$inputDir = Join-Path $work 'input'
$runtime = Join-Path $work 'runtime'
$imageDir = Join-Path $OutDir 'app-image'
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $inputDir, $runtime, $imageDir
New-Item -ItemType Directory -Force $inputDir | Out-Null

# The console's class path without JavaFX, which goes into the runtime.
Copy-Item (Join-Path $AppTarget 'taskdeck-app.jar') $inputDir
Get-ChildItem (Join-Path $AppTarget 'lib\*.jar') | Where-Object { $_.Name -notlike 'javafx-*' } | Copy-Item -Destination $inputDir
$fxJars = Get-ChildItem (Join-Path $AppTarget 'lib\javafx-*-win.jar')
if (-not $fxJars) { throw "no javafx-*-win.jar in $AppTarget\lib" }

$modules = (Get-Content (Join-Path $PkgDir 'jlink-modules.txt') | ForEach-Object { ($_ -replace '#.*$', '').Trim() } |
  Where-Object { $_ }) -join ','
$moduleOpts = @()
if ($major -ge 22) { $moduleOpts += '--enable-native-access=javafx.graphics,ALL-UNNAMED' }
if ($major -ge 24) { $moduleOpts += '--sun-misc-unsafe-memory-access=allow' }

Write-Host '== jlink'
& "$jdk\bin\jlink.exe" --module-path (($fxJars | ForEach-Object FullName) -join ';') --add-modules $modules `
  --include-locales 'en,de,fr,es,it,pt,nl,sv,pl,ja,zh,ko' `
  --exclude-resources 'glob:/javafx.graphics/*.dll,glob:/javafx.graphics/javafx-swt.jar' `
  --strip-debug --no-header-files --no-man-pages --compress zip-6 --output $runtime
if ($LASTEXITCODE) { throw 'jlink failed' }
# JavaFX looks for its DLLs in the runtime's bin folder first (see common.sh).
Add-Type -AssemblyName System.IO.Compression.FileSystem
foreach ($jar in $fxJars) {
  $zip = [IO.Compression.ZipFile]::OpenRead($jar.FullName)
  try {
    $zip.Entries | Where-Object { $_.Name -like '*.dll' } | ForEach-Object {
      [IO.Compression.ZipFileExtensions]::ExtractToFile($_, (Join-Path $runtime "bin\$($_.Name)"), $true) }
  } finally { $zip.Dispose() }
}
& "$runtime\bin\java.exe" @moduleOpts -Xshare:dump | Out-Null
if ($LASTEXITCODE) { throw 'CDS dump of the runtime failed' }

# The per-user CDS archive under %USERPROFILE%\.taskdeck, where the console keeps its files,
# if this jpackage's launcher expands environment variables in java-options (JDK 24+).
$javaOpts = @() + $moduleOpts
$probeOk = $false
$probe = Join-Path $work 'probe'
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $probe
New-Item -ItemType Directory -Force "$probe\in", "$probe\classes" | Out-Null
Set-Content "$probe\Probe.java" 'public class Probe { public static void main(String[] a) { System.out.print(System.getProperty("probe.home")); } }'
& "$jdk\bin\javac.exe" -d "$probe\classes" "$probe\Probe.java"
& "$jdk\bin\jar.exe" cfe "$probe\in\probe.jar" Probe -C "$probe\classes" .
& "$jdk\bin\jpackage.exe" --type app-image --input "$probe\in" --main-jar probe.jar --name probe --dest "$probe\out" `
  --runtime-image $jdk --java-options '-Dprobe.home=$USERPROFILE' | Out-Null
if (Test-Path "$probe\out\probe\probe.exe") { $probeOk = ((& "$probe\out\probe\probe.exe") -eq $env:USERPROFILE) }
if ($probeOk) {
  $javaOpts += '-XX:+AutoCreateSharedArchive', "-XX:SharedArchiveFile=`$USERPROFILE\.taskdeck\cds-$version-jdk$major.jsa"
} else { Write-Host "jpackage of JDK $major does not expand environment variables: no per-user CDS archive" }
$javaOptArgs = $javaOpts | ForEach-Object { '--java-options'; $_ }

Write-Host "== jpackage: app image $version"
& "$jdk\bin\jpackage.exe" "@$PkgDir\jpackage-common.args" --type app-image --app-version $version `
  --input $inputDir --main-jar taskdeck-app.jar --main-class io.taskdeck.app.Main --runtime-image $runtime `
  --icon (Join-Path $RepoDir 'icons\taskdeck.ico') @javaOptArgs --dest $imageDir
if ($LASTEXITCODE) { throw 'jpackage (app image) failed' }

Write-Host "== jpackage: .$Type"
& "$jdk\bin\jpackage.exe" "@$PkgDir\jpackage-common.args" "@$PkgDir\windows\jpackage-win.args" --type $Type `
  --app-version $version --app-image (Join-Path $imageDir 'Taskdeck') `
  --icon (Join-Path $RepoDir 'icons\taskdeck.ico') --dest $OutDir
if ($LASTEXITCODE) { throw "jpackage ($Type) failed" }
Get-ChildItem "$OutDir\*.$Type" | ForEach-Object { Write-Host "$($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
