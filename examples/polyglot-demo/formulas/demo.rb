class Demo < Formula
  desc "The release-toolkit demo command line"
  homepage "https://example.test/demo"
  version "1.1.0"
  license "MIT"

  on_macos do
    on_arm do
      url "https://example.test/demo/releases/download/v1.1.0/demo-v1.1.0-aarch64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000001"
    end
    on_intel do
      url "https://example.test/demo/releases/download/v1.1.0/demo-v1.1.0-x86_64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000002"
    end
  end

  on_linux do
    on_arm do
      url "https://example.test/demo/releases/download/v1.1.0/demo-v1.1.0-aarch64-unknown-linux-gnu.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000003"
    end
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
