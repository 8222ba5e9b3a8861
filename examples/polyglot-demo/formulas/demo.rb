# The demo's Homebrew formula. `release cut` fills in version, url and sha256 from the
# archives it built, one platform block per target in [build] targets (the demo builds
# for this machine only: add on_macos/on_arm blocks with their targets for more).
class Demo < Formula
  desc "The release-toolkit demo command line"
  homepage "https://example.test/demo"
  version "1.1.0"
  license "MIT"

  on_linux do
    on_intel do
      url "https://example.test/demo/releases/download/v1.1.0/demo-v1.1.0-x86_64-unknown-linux-gnu.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000004"
    end
  end

  def install
    bin.install "demo"
  end

  test do
    assert_match "hello, brew", shell_output("#{bin}/demo brew")
  end
end
